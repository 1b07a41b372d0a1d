import type { RefObject } from 'react'
import type { Key } from 'react-aria-components/Collection'
import { Menu, MenuItem, Separator } from 'react-aria-components/Menu'
import { Popover } from 'react-aria-components/Popover'
import type { PersonalApiKey } from '../../client/types.ts'
import { usePersonalApiKeyCapabilities } from '../../react/hooks.ts'
import { laterEn } from '../laterMessages.ts'
import { useMessages, type PatkitMessages } from '../messages.tsx'
import { useCanManageKeys } from '../organization.tsx'
import type { TokenListAction } from '../TokenListState.ts'

export interface TokenListActionsMenuProps {
  apiKey: PersonalApiKey
  /** The row's actions button: the menu is placed at it, named by it, and focus returns to it. */
  triggerRef: RefObject<HTMLElement | null>
  triggerId: string
  /** Which item takes focus: the first (Enter, Space, a click) or the last. */
  autoFocus: 'first' | 'last'
  onAction: (action: TokenListAction, apiKey: PersonalApiKey) => void
  onClose: () => void
  /** The list's `messages` overrides. */
  messages?: Partial<PatkitMessages>
}

/**
 * A row's actions as a react-aria `Menu` in a `Popover` at the row's button. The table renders one, for
 * the row whose button was pressed, and wires the button itself (`aria-haspopup`, `aria-expanded`), so
 * the button is on the page before this code has loaded. Revoke, the action that cannot be undone,
 * comes last, after a separator. A revoked key has no actions button; should a key be revoked while
 * its menu is open, every item turns disabled.
 */
export function TokenListActionsMenu({ apiKey, triggerRef, triggerId, autoFocus, onAction, onClose, messages }: TokenListActionsMenuProps) {
  const t = useMessages(messages, laterEn)
  const canManage = useCanManageKeys()
  // What the backend cannot do is not offered at all, rather than failing on click.
  const { rotate, rename, description } = usePersonalApiKeyCapabilities()
  // A revoked key cannot change; nor can any key of an organization whose keys the user may only see.
  const disabledKeys: TokenListAction[] = apiKey.status === 'revoked' || !canManage ? ['rotate', 'revoke', 'rename'] : []
  return (
    <Popover
      isOpen
      onOpenChange={(open) => !open && onClose()}
      triggerRef={triggerRef}
      trigger="MenuTrigger"
      placement="bottom end"
      aria-labelledby={triggerId}
      className="patkit-TokenListActionsPopover"
    >
      <Menu
        aria-labelledby={triggerId}
        autoFocus={autoFocus}
        className="patkit-TokenListActionsMenu"
        disabledKeys={disabledKeys}
        onAction={(key: Key) => {
          onClose()
          onAction(key as TokenListAction, apiKey)
        }}
      >
        {rotate && (
          <MenuItem id="rotate" className="patkit-TokenListAction">
            {t('rotateAction')}
          </MenuItem>
        )}
        {rename && (
          <MenuItem id="rename" className="patkit-TokenListAction">
            {description ? t('edit') : t('rename')}
          </MenuItem>
        )}
        <Separator className="patkit-TokenListActionsSeparator" />
        <MenuItem id="revoke" className="patkit-TokenListAction">
          {t('revokeAction')}
        </MenuItem>
      </Menu>
    </Popover>
  )
}

/**
 * The parts that only an organization's keys have: who created a key, and the one sentence a member
 * sees whose role may look at the keys but not manage them. Both render nothing for personal keys, so
 * the list and the form use them unconditionally.
 */
import type { PersonalApiKey } from '../client/types.ts'
import { useKeyOwner } from '../react/provider.tsx'
import { useMessages, type PatkitMessages, type Translate } from './messages.tsx'

/**
 * Whether the user may create, rotate, edit and revoke the keys shown: always for their own, and for an
 * organization's unless its view says otherwise (`forOrganization(api, orgId, { canManage: false })`).
 */
export function useCanManageKeys(): boolean {
  return useKeyOwner()?.canManage !== false
}

/**
 * "by Ana", after an organization key's creation date: an organization's keys outlive the member who
 * made them, so the list says whose they were. Nothing for a personal key (the user made it) or when
 * the backend does not say; the user id stands in for a name the server did not have.
 */
export function createdByText(apiKey: PersonalApiKey, t: Translate): string | null {
  const creator = apiKey.owner?.type === 'organization' ? apiKey.createdBy : null
  return creator ? t('createdBy', { name: creator.name ?? creator.userId }) : null
}

/** The same, as a span after the date in the Created cell. */
export function KeyCreatedBy({ apiKey, t }: { apiKey: PersonalApiKey; t: Translate }) {
  const text = createdByText(apiKey, t)
  if (!text) return null
  return (
    <span className="patkit-KeyCreatedBy" dir="auto">
      {' '}
      {text}
    </span>
  )
}

/**
 * The sentence a member reads whose role may list the organization's keys but not manage them, in place
 * of the create form and above the list (`role="note"`: it explains, it is not an error). Nothing when
 * the user may manage the keys.
 */
export function OrganizationReadOnlyNotice({ messages }: { messages?: Partial<PatkitMessages> }) {
  const t = useMessages(messages)
  if (useCanManageKeys()) return null
  return (
    <p role="note" className="patkit-OrganizationReadOnlyNotice">
      {t('orgReadOnly')}
    </p>
  )
}


/**
 * The create form's scope picker. When every scope id of the policy reads `resource:action` or
 * `action:resource` with a known action (`read:projects`, `projects:write`, as GitHub and Stripe name
 * theirs), each resource gets one choice — none, read, write… — where a level grants the levels below
 * it too ("write" sends `read:projects` and `write:projects`), as GitHub's and Stripe's key forms do.
 * Any other ids are a flat list of checkboxes, with "Select all" and a count once there are many.
 */
import { useId } from 'react'
import type { PersonalApiKeyScope } from '../client/types.ts'
import { Choice, ChoiceGroup } from './choice.tsx'
import type { Translate } from './messages.tsx'

export type ScopeLayout = 'grouped' | 'flat'

/** Actions patkit recognises in a scope id, by how much they grant. */
const ACTION_RANK = new Map([
  ['read', 0],
  ['list', 0],
  ['view', 0],
  ['write', 1],
  ['create', 1],
  ['update', 1],
  ['delete', 1],
  ['manage', 2],
  ['admin', 2],
])

/** A flat list longer than this gets "Select all" and a count. */
const MANY = 6

export interface ScopeGroup {
  resource: string
  /** Its scopes from the least to the most granting. */
  levels: { action: string; scope: PersonalApiKeyScope }[]
}

/** The policy's scopes by resource, or `null` when their ids do not follow one `resource:action` pattern (or nothing would be grouped). */
export function groupScopes(scopes: PersonalApiKeyScope[]): ScopeGroup[] | null {
  const parts = scopes.map((scope) => scope.id.split(':'))
  if (parts.some((part) => part.length !== 2 || !part[0] || !part[1])) return null
  // Which side names the action: the one that always does.
  const side = [0, 1].find((i) => parts.every((part) => ACTION_RANK.has(part[i]!)))
  if (side === undefined) return null
  const groups = new Map<string, ScopeGroup>()
  scopes.forEach((scope, i) => {
    const resource = parts[i]![1 - side]!
    const group = groups.get(resource) ?? { resource, levels: [] }
    group.levels.push({ action: parts[i]![side]!, scope })
    groups.set(resource, group)
  })
  for (const group of groups.values()) group.levels.sort((a, b) => ACTION_RANK.get(a.action)! - ACTION_RANK.get(b.action)!)
  // With one scope per resource a flat list says the same, with the descriptions.
  return [...groups.values()].some((group) => group.levels.length > 1) ? [...groups.values()] : null
}

export interface ScopesPickerProps {
  scopes: PersonalApiKeyScope[]
  groups: ScopeGroup[] | null
  value: string[]
  onChange: (value: string[]) => void
  isDisabled: boolean
  error: string | null
  t: Translate
}

/** The picker's groups and choices (the default children of `CreateKeyScopesField`). */
export function CreateKeyScopesPicker({ scopes, groups, value, onChange, isDisabled, error, t }: ScopesPickerProps) {
  const id = useId()
  const selected = new Set(value)
  const count = new Intl.NumberFormat(t.locale)
  if (groups) {
    return (
      <ChoiceGroup role="group" label={t('scopesLabel')} description={t('scopesDescription')} error={error} isDisabled={isDisabled} className="patkit-CreateKeyScopeGroups">
        {groups.map(({ resource, levels }, g) => {
          // The highest level held; the ones below come with it.
          const level = levels.reduce((held, { scope }, index) => (selected.has(scope.id) ? index : held), -1)
          const granted = levels.slice(0, level + 1).map(({ scope }) => scope.id)
          const choose = (next: number) => {
            const others = value.filter((scopeId) => !levels.some(({ scope }) => scope.id === scopeId))
            onChange([...others, ...levels.slice(0, next + 1).map(({ scope }) => scope.id)])
          }
          return (
            <ChoiceGroup
              key={resource}
              role="radiogroup"
              label={<span dir="auto">{resource}</span>}
              description={granted.length > 0 ? t('scopesGrants', { scopes: granted.join(', ') }) : t('scopesGrantNone')}
              isDisabled={isDisabled}
              className="patkit-CreateKeyScopeGroup"
            >
              {[-1, ...levels.keys()].map((index) => (
                <Choice
                  key={index}
                  type="radio"
                  name={`${id}${g}`}
                  value={index < 0 ? '' : levels[index]!.scope.id}
                  isSelected={level === index}
                  onChange={() => choose(index)}
                  isDisabled={isDisabled}
                  describedBy={index < 0 ? undefined : `${id}${g}-${index}`}
                >
                  {index < 0 ? t('scopesNone') : levels[index]!.action}
                </Choice>
              ))}
              {/* Each level's description, read with its radio (hidden: the caption below says what is granted). */}
              {levels.map(({ scope }, index) => (
                <span key={scope.id} hidden id={`${id}${g}-${index}`}>
                  {scope.description}
                </span>
              ))}
            </ChoiceGroup>
          )
        })}
      </ChoiceGroup>
    )
  }
  const many = scopes.length > MANY
  const chosen = scopes.filter((scope) => selected.has(scope.id)).length
  return (
    <ChoiceGroup
      role="group"
      label={t('scopesLabel')}
      description={many ? `${t('scopesDescription')} ${t('scopesCount', { count: count.format(chosen), total: count.format(scopes.length) })}` : t('scopesDescription')}
      error={error}
      isDisabled={isDisabled}
      className="patkit-CreateKeyScopeList"
    >
      {many && (
        <Choice
          type="checkbox"
          value=""
          className="patkit-Choice patkit-CreateKeyScopesAll"
          isSelected={chosen === scopes.length}
          isIndeterminate={chosen > 0 && chosen < scopes.length}
          onChange={(all) => onChange(all ? scopes.map((scope) => scope.id) : [])}
          isDisabled={isDisabled}
        >
          {t('scopesSelectAll')}
        </Choice>
      )}
      {scopes.map((scope, i) => (
        <div key={scope.id} className="patkit-CreateKeyScope">
          <Choice
            type="checkbox"
            value={scope.id}
            isSelected={selected.has(scope.id)}
            onChange={(isSelected) => onChange(isSelected ? [...value, scope.id] : value.filter((scopeId) => scopeId !== scope.id))}
            isDisabled={isDisabled}
            describedBy={`${id}-${i}`}
          >
            <code>{scope.id}</code>
          </Choice>
          {/* A block of its own, so even unstyled it never runs into the scope's id ("read:projectsRead projects…"). */}
          <div id={`${id}-${i}`} className="patkit-CreateKeyScopeDescription">
            {scope.description}
          </div>
        </div>
      ))}
    </ChoiceGroup>
  )
}

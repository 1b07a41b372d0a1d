import { createContext, useContext } from 'react'
import type { ResolvedCapabilities } from '../client/capabilities.ts'
import type { ApiError, PersonalApiKey, PersonalApiKeyStatus, SortKey } from '../client/types.ts'
import type { PatkitMessages, Translate } from './messages.tsx'

/** The status filter: every key, or one status. */
export type TokenListStatusFilter = 'all' | PersonalApiKeyStatus
/** What a row's action menu offers. */
export type TokenListAction = 'rotate' | 'revoke' | 'rename'

/** The state one `<TokenList>` shares with its parts (TokenList.tsx and TokenListTable.tsx). */
export interface TokenListState {
  /** The keys loaded so far, for the current search, status and sort. */
  items: PersonalApiKey[]
  /** Keys matching the current search and status on the server (not just those loaded). */
  totalCount: number
  /** Keys per status for the current search, ignoring the status filter; `null` until loaded. */
  facets: Record<PersonalApiKeyStatus, number> | null
  status: TokenListStatusFilter
  setStatus(status: TokenListStatusFilter): void
  /** What the search field holds. */
  query: string
  setQuery(query: string): void
  /** The query the server was asked for (the search field, debounced and trimmed). */
  searchedQuery: string
  sort: SortKey
  setSort(sort: SortKey): void
  isLoading: boolean
  isLoadingMore: boolean
  hasMore: boolean
  loadMore(): void
  isEmpty: boolean
  isNoResults: boolean
  error: ApiError | null
  /** The list cannot load until something outside it changes (signed out, no permission, keys off): search and filter are disabled. */
  isBlocked: boolean
  isRetrying: boolean
  /** Seconds until the server said a retry may help (429, or 503 with `Retry-After`); `null` otherwise. */
  retryInSeconds: number | null
  retry(): void
  /** Opens a row action (the list's own dialogs, or the app's `onAction`). */
  runAction(action: TokenListAction, apiKey: PersonalApiKey): void
  onCreateRequest?: () => void
  /** What the backend supports: no search, status filter, sortable column or row action it lacks. */
  capabilities: ResolvedCapabilities
  t: Translate
  /** The list's `messages` prop, for the parts that load later (they bring their own English). */
  messages?: Partial<PatkitMessages>
}

/** The list's state, for custom parts inside `<TokenList>`. */
export const TokenListStateContext = createContext<TokenListState | null>(null)

export function useTokenListState(part: string): TokenListState {
  const value = useContext(TokenListStateContext)
  if (!value) throw new Error(`patkit: <${part}> must be inside <TokenList>`)
  return value
}

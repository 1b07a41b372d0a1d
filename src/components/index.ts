export {
  CreatePersonalApiKey,
  CreatePersonalApiKeyContext,
  CreateKeyNameField,
  CreateKeyNameFieldContext,
  CreateKeyDescriptionField,
  CreateKeyDescriptionFieldContext,
  CreateKeyExpirationField,
  CreateKeyExpirationFieldContext,
  CreateKeyScopesField,
  CreateKeyScopesFieldContext,
  CreateKeySubmit,
  CreateKeySubmitContext,
  CreateKeyFormError,
  CreateKeyFormErrorContext,
  CreateKeyPolicyStatus,
  CreateKeyPolicyStatusContext,
  type CreatePersonalApiKeyProps,
  type CreatePersonalApiKeyRenderProps,
  type CreatePersonalApiKeyStep,
  type CreateKeyNameFieldProps,
  type CreateKeyDescriptionFieldProps,
  type CreateKeyExpirationFieldProps,
  type CreateKeyExpirationFieldRenderProps,
  type CreateKeyScopesFieldProps,
  type CreateKeySubmitProps,
  type CreateKeyFormErrorProps,
  type CreateKeyFormErrorRenderProps,
  type CreateKeyPolicyStatusProps,
  type CreateKeyPolicyStatusRenderProps,
  type ExpirationSelection,
} from './CreatePersonalApiKey.tsx'
export { TokenReveal, TokenRevealContext, type TokenRevealProps, type TokenRevealRenderProps } from './TokenReveal.tsx'
export {
  TokenList,
  TokenListContext,
  TokenListStateContext,
  TokenListSearch,
  TokenListSearchContext,
  TokenListStatusTabs,
  TokenListStatusTabsContext,
  TokenListStatusTab,
  TokenListStatusTabContext,
  TokenListEmptyState,
  TokenListEmptyStateContext,
  TokenListErrorState,
  TokenListErrorStateContext,
  type TokenListProps,
  type TokenListRenderProps,
  type TokenListState,
  type TokenListStatusFilter,
  type TokenListAction,
  type TokenListSearchProps,
  type TokenListStatusTabsProps,
  type TokenListStatusTabProps,
  type TokenListStatusTabRenderProps,
  type TokenListEmptyStateProps,
  type TokenListEmptyStateRenderProps,
  type TokenListErrorStateProps,
  type TokenListErrorStateRenderProps,
} from './TokenList.tsx'
export {
  TokenListTable,
  TokenListTableContext,
  TokenListRow,
  TokenListRowContext,
  type TokenListTableProps,
  type TokenListTableRenderProps,
  type TokenListLayout,
  type TokenListRowProps,
  type TokenListRowRenderProps,
} from './TokenListTable.tsx'
export {
  preloadOverlays,
  type KeyDialogProps,
  type KeyDialogOpenProps,
  type KeyActionRenderProps,
} from './KeyDialog.tsx'
export { RevokeDialog, RevokeDialogContext, type RevokeDialogProps, type RevokeDialogRenderProps } from './RevokeDialog.tsx'
export {
  RotateDialog,
  RotateDialogContext,
  type RotateDialogProps,
  type RotateDialogRenderProps,
  type RotateDialogStep,
  type RotateResult,
} from './RotateDialog.tsx'
export { RenameDialog, RenameDialogContext, type RenameDialogProps, type RenameDialogRenderProps } from './RenameDialog.tsx'
export {
  PatkitMessagesProvider,
  PatkitLocalesProvider,
  useMessages,
  type PatkitMessages,
  type PatkitLocales,
  type MessageKey,
} from './messages.tsx'
export { useDateFormatters, type DateFormatters } from './format.ts'
export { OrganizationReadOnlyNotice, useCanManageKeys } from './organization.tsx'
// Organization-flavoured names for the same components, for pages about a team's keys (inside
// `<AuthFrontendApisProvider organization={{ id }}>`); their wording follows the provider either way.
export { CreatePersonalApiKey as CreateOrganizationApiKey, type CreatePersonalApiKeyProps as CreateOrganizationApiKeyProps } from './CreatePersonalApiKey.tsx'
export { TokenList as OrganizationApiKeyList, type TokenListProps as OrganizationApiKeyListProps } from './TokenList.tsx'

/**
 * The overlay chunk: everything patkit shows on top of the page, loaded on first open (react-aria's
 * Dialog module imports its Menu, so they travel together). Imported only through `overlays` in
 * KeyDialog.tsx.
 */
export { RevokeDialogContent } from './RevokeDialogContent.tsx'
export { RotateDialogContent } from './RotateDialogContent.tsx'
export { RenameDialogContent } from './RenameDialogContent.tsx'
export { TokenListActionsMenu } from './TokenListActionsMenu.tsx'

/**
 * patkit's English sentences for the parts that load on first use — the key dialogs, the row actions
 * menu, the one-time reveal — kept out of the page's first load with them. Those parts pass them to
 * `useMessages(messages, laterEn)`; the catalogs in `patkit/locales` hold them as well.
 */
export const laterEn = {
  revealTitle: 'Copy your new key',
  revealLabel: 'Your new API key',
  revealWarning: 'Copy this key now and store it somewhere safe. For your security it will not be shown again.',
  copy: 'Copy',
  copied: 'Copied',
  copiedAnnouncement: 'API key copied to the clipboard.',
  copyFailed: 'Could not copy automatically. Select the key and copy it by hand.',
  acknowledge: 'I have saved this key',
  keyDescription: 'Description',
  done: 'Done',
  rename: 'Rename',
  renameTitle: 'Rename “{name}”',
  renameLabel: 'New name',
  renamed: 'Key renamed to “{name}”.',
  edit: 'Edit',
  editTitle: 'Edit “{name}”',
  edited: 'Key “{name}” saved.',
  save: 'Save',
  savePending: 'Saving…',
  revokeAction: 'Revoke',
  revokeTitle: 'Revoke “{name}”?',
  revokeDescription:
    'Revoking takes effect immediately. Scripts and integrations that use this key will stop working. This cannot be undone.',
  revokeConfirmLabel: 'Type {text} to confirm',
  revokeConfirm: 'Revoke key',
  revokePending: 'Revoking…',
  revoked: 'Key “{name}” revoked.',
  keyStart: 'Key',
  lastUsed: 'Last used',
  rotateAction: 'Rotate',
  rotateTitle: 'Rotate “{name}”?',
  rotateDescription:
    'Rotating creates a new key with the same name and scopes and revokes this one at once. Update every integration that uses it.',
  rotateConfirm: 'Rotate key',
  rotatePending: 'Rotating…',
  rotated: 'Key rotated. The old key no longer works.',
  rotateExpirationLabel: 'New key expires',
  rotateExpirationSame: 'Same as before',
}

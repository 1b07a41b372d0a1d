/**
 * patkit's English sentences for the parts that load on first use — the key dialogs, the row actions
 * menu, the one-time reveal — kept out of the page's first load with them. Those parts pass them to
 * `useMessages(messages, laterEn)`; the catalogs in `patkit/locales` hold them as well.
 */
export const laterEn = {
  revealTitle: 'Copy your new key',
  revealLabel: 'Your new API key',
  revealWarning: 'Copy this key now and store it somewhere safe. For your security it will not be shown again.',
  'org.revealWarning':
    'Copy this key now and store it somewhere safe. For your security it will not be shown again. It belongs to the organization and keeps working if you leave it.',
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
  'org.revokeDescription':
    'Revoking takes effect immediately. The organization’s scripts and integrations that use this key will stop working, whoever created it. This cannot be undone.',
  rotateConfirm: 'Rotate key',
  rotatePending: 'Rotating…',
  rotated: 'Key rotated. The old key no longer works.',
  rotateExpirationLabel: 'New key expires',
  rotateExpirationSame: 'Same as before',
  rotateDescriptionGrace: 'Rotating creates a new key with the same name and scopes. This key keeps working until the grace period ends, then stops: update every integration that uses it before then.',
  rotateGraceLabel: 'Old key keeps working for',
  rotateGraceNone: 'The old key stops working at once.',
  rotateGraceUntil: 'The old key keeps working until {date}.',
  rotatedGrace: 'Key rotated. The old key keeps working until {date} ({relative}).',
  'gracePeriod.None': 'None: it stops at once',
  'gracePeriod.OneHour': '1 hour',
  'gracePeriod.OneDay': '1 day',
  'gracePeriod.SevenDays': '7 days',
}

import './setup-dom.ts'
// Real virtualization in Chromium tests, as in an app (see the module's comment).
import '../stories/support/virtualization.ts'

import './setup-dom.ts'

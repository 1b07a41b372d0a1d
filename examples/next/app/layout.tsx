import type { ReactNode } from 'react'
import 'patkit/styles.css'
import './page.css'

export const metadata = { title: 'API keys · patkit on Next.js' }

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  )
}

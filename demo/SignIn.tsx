import { useRef, useState } from 'react'
import { Button, FieldError, Form, Input, Label, TextField } from 'react-aria-components'

export interface DemoAccount {
  name: string
  email: string
  about: string
}

/** Better Auth's answers the form tells apart; anything else is "try again". */
function failureSentence(status: number, code: string | undefined): string {
  if (code === 'INVALID_EMAIL_OR_PASSWORD') return 'Wrong email or password.'
  if (status === 429) return 'Too many sign-in attempts. Wait a minute and try again.'
  if (status === 403) return 'Sign-in was refused (this page’s origin is not trusted by the server).'
  return 'Signing in failed. Is the demo server running?'
}

/**
 * Email and password, sent to Better Auth's `POST /api/auth/sign-in/email`, which sets the session
 * cookie (HttpOnly, SameSite=Lax, Secure over https). The seeded accounts are listed with their
 * password, and a button fills one in.
 */
export function SignIn({ accounts, password: demoPassword, onSignedIn }: { accounts: DemoAccount[]; password: string; onSignedIn(): void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [pending, setPending] = useState(false)
  const submitRef = useRef<HTMLButtonElement>(null)

  const submit = async () => {
    setPending(true)
    setError(null)
    try {
      const response = await fetch('/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: email.trim(), password }),
        credentials: 'same-origin',
      })
      if (response.ok) {
        // The password leaves the page's state once it has done its job.
        setPassword('')
        onSignedIn()
        return
      }
      const body = (await response.json().catch(() => null)) as { code?: string } | null
      setError(failureSentence(response.status, body?.code))
    } catch {
      setError(failureSentence(0, undefined))
    } finally {
      setPending(false)
    }
  }

  const fillIn = (account: DemoAccount) => {
    setEmail(account.email)
    setPassword(demoPassword)
    setError(null)
    submitRef.current?.focus()
  }

  return (
    <section aria-labelledby="sign-in-heading" className="panel">
      <h2 id="sign-in-heading">Sign in</h2>
      <Form
        className="sign-in-form"
        onSubmit={(event) => {
          event.preventDefault()
          void submit()
        }}
      >
        <TextField value={email} onChange={setEmail} type="email" isRequired autoComplete="username" className="field">
          <Label>Email</Label>
          <Input className="input" />
          <FieldError className="error" />
        </TextField>
        <TextField value={password} onChange={setPassword} type="password" isRequired autoComplete="current-password" className="field">
          <Label>Password</Label>
          <Input className="input" />
          <FieldError className="error" />
        </TextField>
        <Button ref={submitRef} type="submit" isPending={pending} className="button">
          Sign in
        </Button>
      </Form>
      <div aria-live="assertive">
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
      <h3 id="accounts-heading">Example accounts</h3>
      <p>
        Password for both: <code data-testid="demo-password">{demoPassword}</code>
      </p>
      <ul aria-labelledby="accounts-heading" className="accounts">
        {accounts.map((account) => (
          <li key={account.email}>
            <code>{account.email}</code> — {account.about}{' '}
            <Button className="button secondary" onPress={() => fillIn(account)}>
              Fill in {account.name}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  )
}

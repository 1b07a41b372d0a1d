import { useState, type FormEvent } from 'react'
import { Button, Form, Input, Label, TextField } from 'react-aria-components'

interface Answer {
  status: number
  body: string
}

/**
 * Calls `GET /api/v1/me` with a pasted key, the way a script or CI job would use it. The key stays in
 * this component's state and the request header only; cookies are left out so the answer shows what
 * the key alone is worth.
 */
export function TryYourKey() {
  const [token, setToken] = useState('')
  const [answer, setAnswer] = useState<Answer | null>(null)
  const [isPending, setPending] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setPending(true)
    setAnswer(null)
    try {
      const response = await fetch('/api/v1/me', {
        headers: { Authorization: `Bearer ${token.trim()}` },
        credentials: 'omit',
        cache: 'no-store',
      })
      const text = await response.text()
      let body = text
      try {
        body = JSON.stringify(JSON.parse(text), null, 2)
      } catch {
        // Not JSON: show it as it came.
      }
      setAnswer({ status: response.status, body })
    } catch {
      setAnswer({ status: 0, body: 'Could not reach the server.' })
    } finally {
      setPending(false)
    }
  }

  return (
    <section aria-labelledby="try-heading" className="panel">
      <h2 id="try-heading">Try your key</h2>
      <p>
        Paste a key to call <code>GET /api/v1/me</code> with <code>Authorization: Bearer …</code>. An active key answers 200
        with its owner; a revoked, expired or mistyped one answers 401.
      </p>
      <Form onSubmit={submit} className="try-form">
        <TextField value={token} onChange={setToken} isRequired autoComplete="off" className="field">
          <Label>Personal access token</Label>
          <Input spellCheck={false} placeholder="pat_…" className="input mono" />
        </TextField>
        <Button type="submit" isPending={isPending} className="button">
          Call /api/v1/me
        </Button>
      </Form>
      <div aria-live="polite" data-testid="try-answer">
        {answer && (
          <>
            <p>
              Status: <strong data-testid="try-status">{answer.status === 0 ? 'no answer' : answer.status}</strong>
            </p>
            <pre className="answer" data-testid="try-body">
              {answer.body}
            </pre>
          </>
        )}
      </div>
    </section>
  )
}

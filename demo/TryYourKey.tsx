import { useState, type FormEvent } from 'react'
import { Button, Form, Input, Label, TextField } from 'react-aria-components'

interface Answer {
  path: string
  status: number
  /** The `WWW-Authenticate` header of a 401 or 403: it names the error and, for 403, the scope needed. */
  challenge: string | null
  body: string
}

const WHO_AM_I = '/api/v1/me'
const PROJECTS = '/api/projects'

/**
 * Calls the API with a pasted key, the way a script or CI job would use it: `GET /api/v1/me` (any
 * active key) or `GET /api/projects` (the app's own route, which needs the `read:projects` scope).
 * The key stays in this component's state and the request header only; cookies are left out so the
 * answer shows what the key alone is worth.
 */
export function TryYourKey({ scope = 'read:projects', everyKeyHasScope = false }: { scope?: string; everyKeyHasScope?: boolean }) {
  const [token, setToken] = useState('')
  const [answer, setAnswer] = useState<Answer | null>(null)
  const [pendingPath, setPendingPath] = useState<string | null>(null)

  const call = async (path: string) => {
    setPendingPath(path)
    setAnswer(null)
    try {
      const response = await fetch(path, {
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
      setAnswer({ path, status: response.status, challenge: response.headers.get('WWW-Authenticate'), body })
    } catch {
      setAnswer({ path, status: 0, challenge: null, body: 'Could not reach the server.' })
    } finally {
      setPendingPath(null)
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void call(WHO_AM_I)
  }

  return (
    <section aria-labelledby="try-heading" className="panel">
      <h2 id="try-heading">Try your key</h2>
      <p>
        Paste a key and call the API with <code>Authorization: Bearer …</code>. <code>GET {WHO_AM_I}</code> answers 200 with
        the key's owner for any active key. <code>GET {PROJECTS}</code> is the app's own route: it answers 200 only to a key
        with the <code>{scope}</code> scope, 403 to a key without it
        {everyKeyHasScope ? ' (here every key gets it: Better Auth lets only the server set permissions)' : ''}. A revoked,
        expired or mistyped key answers 401.
      </p>
      <Form onSubmit={submit} className="try-form">
        <TextField value={token} onChange={setToken} isRequired autoComplete="off" className="field">
          <Label>Personal access token</Label>
          <Input spellCheck={false} placeholder="pat_…" className="input mono" />
        </TextField>
        <Button type="submit" isPending={pendingPath === WHO_AM_I} isDisabled={pendingPath !== null && pendingPath !== WHO_AM_I} className="button">
          Call {WHO_AM_I}
        </Button>
        <Button
          onPress={() => void call(PROJECTS)}
          isPending={pendingPath === PROJECTS}
          isDisabled={pendingPath !== null && pendingPath !== PROJECTS}
          className="button"
        >
          Call {PROJECTS}
        </Button>
      </Form>
      <div aria-live="polite" data-testid="try-answer">
        {answer && (
          <>
            <p>
              <code>GET {answer.path}</code>: <strong data-testid="try-status">{answer.status === 0 ? 'no answer' : answer.status}</strong>
            </p>
            {answer.challenge && (
              <p>
                WWW-Authenticate: <code data-testid="try-challenge">{answer.challenge}</code>
              </p>
            )}
            <pre className="answer" data-testid="try-body">
              {answer.body}
            </pre>
          </>
        )}
      </div>
    </section>
  )
}

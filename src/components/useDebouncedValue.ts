import { useEffect, useState } from 'react'

/** `value`, `ms` after it last changed; at once when `immediately(value)` (e.g. a cleared search). */
export function useDebouncedValue<T>(value: T, ms: number, immediately: (value: T) => boolean): T {
  const [debounced, setDebounced] = useState(value)
  useEffect(() => {
    if (immediately(value)) {
      setDebounced(value)
      return
    }
    const timer = setTimeout(() => setDebounced(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms, immediately])
  return debounced
}

import { useCallback, useState } from 'react'

/**
 * A value the app may control (`value` + `onChange`) or leave to the component (`defaultValue`),
 * react-aria's way: `onChange` is called in both modes.
 */
export function useControllableState<T>(value: T | undefined, defaultValue: T, onChange?: (value: T) => void): [T, (value: T) => void] {
  const [own, setOwn] = useState(defaultValue)
  const isControlled = value !== undefined
  const set = useCallback(
    (next: T) => {
      if (!isControlled) setOwn(next)
      onChange?.(next)
    },
    [isControlled, onChange],
  )
  return [isControlled ? value : own, set]
}

import { describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { screen } from '@testing-library/react'
import '../../src/styles.css'
import { CreatePersonalApiKey } from '../../src/components/index.ts'
import { renderWithBackend } from './support.tsx'

const flatScopes = { scopes: [{ id: 'deploy', description: 'Deploy services' }, { id: 'billing', description: 'Read billing' }] }

describe('the starter theme', () => {
  it('gives patkit’s parts a colour scheme and leaves the page’s alone', async () => {
    const { container } = renderWithBackend(<CreatePersonalApiKey />)
    await screen.findByRole('textbox', { name: 'Name' })
    expect(getComputedStyle(document.documentElement).colorScheme).toBe('normal')
    expect(getComputedStyle(document.body).colorScheme).toBe('normal')
    expect(getComputedStyle(container.querySelector('.patkit-CreatePersonalApiKey')!).colorScheme).toBe('light dark')
    document.documentElement.dataset.theme = 'dark'
    try {
      expect(getComputedStyle(document.documentElement).colorScheme).toBe('normal')
      expect(getComputedStyle(container.querySelector('.patkit-CreatePersonalApiKey')!).colorScheme).toBe('dark')
    } finally {
      delete document.documentElement.dataset.theme
    }
  })

  it('draws radios and checkboxes with CSS on the native inputs, filled when chosen', async () => {
    renderWithBackend(<CreatePersonalApiKey />, { policy: flatScopes })
    const radio = await screen.findByRole('radio', { name: '2 weeks' })
    const checkbox = screen.getByRole('checkbox', { name: 'deploy' })
    for (const input of [radio, checkbox]) {
      const style = getComputedStyle(input)
      expect(style.appearance).toBe('none')
      expect(parseFloat(style.width)).toBeGreaterThan(10)
      expect(style.borderStyle).toBe('solid')
    }
    expect(getComputedStyle(radio).borderRadius).toBe('50%')
    const unchecked = getComputedStyle(checkbox).backgroundColor
    await userEvent.click(checkbox)
    expect(checkbox).toBeChecked()
    expect(getComputedStyle(checkbox).backgroundColor).not.toBe(unchecked)
    expect(getComputedStyle(checkbox, '::before').transform).not.toBe('none')
  })

  it('puts a flat scope’s description on its own line, never run into the id', async () => {
    renderWithBackend(<CreatePersonalApiKey />, { policy: flatScopes })
    const checkbox = await screen.findByRole('checkbox', { name: 'deploy' })
    const description = screen.getByText('Deploy services')
    expect(description.getBoundingClientRect().top).toBeGreaterThanOrEqual(checkbox.closest('label')!.getBoundingClientRect().bottom - 1)
    expect(checkbox).toHaveAccessibleDescription('Deploy services')
  })

  it('joins the calendar button to its date field', async () => {
    renderWithBackend(<CreatePersonalApiKey />)
    await userEvent.click((await screen.findByRole('radio', { name: 'Custom…' })).closest('label')!)
    const button = await screen.findByRole('button', { name: /Calendar/ }, { timeout: 5_000 })
    const field = button.closest('.react-aria-Group')!
    const dateInput = field.querySelector('.react-aria-DateInput')!
    // One box: the input and the button touch, and the border is the group's.
    expect(Math.abs(button.getBoundingClientRect().left - dateInput.getBoundingClientRect().right)).toBeLessThan(2)
    expect(getComputedStyle(field).borderTopStyle).toBe('solid')
    expect(getComputedStyle(dateInput).borderTopStyle).toBe('none')
  })
})

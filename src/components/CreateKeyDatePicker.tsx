/**
 * The custom-date picker of `<CreatePersonalApiKey>`, in a module of its own: react-aria's DatePicker,
 * Calendar and @internationalized/date weigh about 45 kB gzip, and most users pick a preset, so the form
 * loads this only when "Custom date" is chosen. Dates cross the boundary as `YYYY-MM-DD` strings.
 */
import { Button } from 'react-aria-components/Button'
import { Calendar, CalendarCell, CalendarGrid } from 'react-aria-components/Calendar'
import { DateInput, DateSegment } from 'react-aria-components/DateField'
import { DatePicker } from 'react-aria-components/DatePicker'
import { Dialog } from 'react-aria-components/Dialog'
import { FieldError } from 'react-aria-components/FieldError'
import { Group } from 'react-aria-components/Group'
import { Heading } from 'react-aria-components/Heading'
import { Label } from 'react-aria-components/Label'
import { Popover } from 'react-aria-components/Popover'
import { Text } from 'react-aria-components/Text'
import { parseDate, toCalendarDate, type DateValue } from '@internationalized/date'
import type { Translate } from './messages.tsx'

export interface CreateKeyDatePickerProps {
  /** The chosen day, `YYYY-MM-DD`. */
  value: string | null
  onChange(value: string | null): void
  /** The first and last day the policy allows, `YYYY-MM-DD`. */
  minValue: string
  maxValue?: string
  /** The form's sentence for a day the policy refuses (`null` when allowed): it replaces react-aria's range message. */
  validate(day: string): string | null
  /** Under the field: what a day means and the policy's cap. */
  description: string
  isDisabled: boolean
  t: Translate
}

export default function CreateKeyDatePicker({ value, onChange, minValue, maxValue, validate, description, isDisabled, t }: CreateKeyDatePickerProps) {
  return (
    <DatePicker
      name="expiresAt"
      value={value === null ? null : parseDate(value)}
      onChange={(day: DateValue | null) => onChange(day && toCalendarDate(day).toString())}
      granularity="day"
      minValue={parseDate(minValue)}
      maxValue={maxValue === undefined ? undefined : parseDate(maxValue)}
      validate={(day: DateValue | null) => (day ? validate(toCalendarDate(day).toString()) : null)}
      isRequired
      isDisabled={isDisabled}
    >
      <Label>{t('customDateLabel')}</Label>
      <Group>
        <DateInput>{(segment) => <DateSegment segment={segment} />}</DateInput>
        {/* Named by react-aria ("Calendar" in the user's language); the icon is decoration. */}
        <Button>
          <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5">
            <rect x="2" y="3" width="12" height="11" rx="1.5" />
            <path d="M2 6.5h12M5.5 1.5v3M10.5 1.5v3" />
          </svg>
        </Button>
      </Group>
      <Text slot="description">{description}</Text>
      <FieldError />
      <Popover className="patkit-CreateKeyCalendarPopover">
        <Dialog>
          <Calendar className="patkit-CreateKeyCalendar">
            <header>
              {/* ‹ and › are bidi-mirrored: in a right-to-left calendar they point the other way, as they should. */}
              <Button slot="previous">‹</Button>
              <Heading />
              <Button slot="next">›</Button>
            </header>
            <CalendarGrid>{(date) => <CalendarCell date={date} />}</CalendarGrid>
          </Calendar>
        </Dialog>
      </Popover>
    </DatePicker>
  )
}

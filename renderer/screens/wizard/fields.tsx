import { useId, useState, type ReactNode } from 'react'

/** A labelled text input with its problem (when shown) and help. */
export function TextField({
  label,
  value,
  onChange,
  problem,
  help,
  type = 'text',
  mono = false,
  placeholder,
  width,
}: {
  label: string
  value: string
  onChange: (value: string) => void
  problem?: string | undefined
  help?: ReactNode
  type?: 'text' | 'password' | 'number' | 'time'
  mono?: boolean
  placeholder?: string
  width?: 'short' | 'medium'
}) {
  const id = useId()
  const described = [problem && `${id}-problem`, help && `${id}-help`].filter(Boolean).join(' ')
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className={['input', mono && 'mono', width && `input-${width}`].filter(Boolean).join(' ')}
        type={type}
        value={value}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={problem ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {problem && (
        <span id={`${id}-problem`} className="field-error">
          {problem}
        </span>
      )}
      {help && (
        <span id={`${id}-help`} className="help">
          {help}
        </span>
      )}
    </div>
  )
}

/** A number input that keeps what is typed while it is not a number yet. */
export function NumberField({
  label,
  value,
  onChange,
  problem,
  help,
  min,
  max,
}: {
  label: string
  value: number
  onChange: (value: number) => void
  problem?: string | undefined
  help?: ReactNode
  min?: number
  max?: number
}) {
  const id = useId()
  const [text, setText] = useState(String(value))
  // Follow changes from outside (a fix, an import), not every keystroke.
  const [seen, setSeen] = useState(value)
  if (seen !== value) {
    setSeen(value)
    if (Number(text) !== value) setText(String(value))
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input input-short"
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : help ? `${id}-help` : undefined}
        onChange={(event) => {
          setText(event.target.value)
          const n = Number(event.target.value)
          if (event.target.value.trim() !== '' && Number.isFinite(n)) onChange(n)
        }}
      />
      {problem && (
        <span id={`${id}-problem`} className="field-error">
          {problem}
        </span>
      )}
      {help && (
        <span id={`${id}-help`} className="help">
          {help}
        </span>
      )}
    </div>
  )
}

/** Two or three choices side by side (a radio group). */
export function Segmented<T extends string>({
  label,
  name,
  value,
  options,
  onChange,
}: {
  label: string
  name: string
  value: T
  options: Array<{ value: T; label: string }>
  onChange: (value: T) => void
}) {
  return (
    <fieldset className="field plain-fieldset">
      <legend className="field-label">{label}</legend>
      <div className="segmented">
        {options.map((option) => (
          <label key={option.value}>
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  )
}

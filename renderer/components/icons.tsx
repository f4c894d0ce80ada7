import type { ReactElement } from 'react'

/** Small stroke icons (16px grid), decorative: the text next to them carries the meaning. */
function icon(paths: ReactElement, size = 16) {
  return function Icon({ className }: { className?: string }) {
    return (
      <svg
        className={className}
        width={size}
        height={size}
        viewBox="0 0 16 16"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        focusable="false"
      >
        {paths}
      </svg>
    )
  }
}

export const PoolIcon = icon(
  <>
    <rect x="1.75" y="2.25" width="12.5" height="4" rx="1" />
    <rect x="1.75" y="9.75" width="12.5" height="4" rx="1" />
    <path d="M4.5 4.25h.01M4.5 11.75h.01" />
  </>,
)
export const KeyIcon = icon(
  <>
    <circle cx="5" cy="11" r="2.75" />
    <path d="M7 9l6.25-6.25M11 5l1.75 1.75M9.5 6.5l1.25 1.25" />
  </>,
)
export const SettingsIcon = icon(
  <>
    <circle cx="8" cy="8" r="2.25" />
    <path d="M8 1.75v1.5M8 12.75v1.5M1.75 8h1.5M12.75 8h1.5M3.6 3.6l1.05 1.05M11.35 11.35l1.05 1.05M3.6 12.4l1.05-1.05M11.35 4.65l1.05-1.05" />
  </>,
)
export const SearchIcon = icon(
  <>
    <circle cx="7" cy="7" r="4.25" />
    <path d="M10.25 10.25l3.5 3.5" />
  </>,
)
export const AlertIcon = icon(
  <>
    <circle cx="8" cy="8" r="6.25" />
    <path d="M8 4.75v3.75M8 11h.01" />
  </>,
)
export const InfoIcon = icon(
  <>
    <circle cx="8" cy="8" r="6.25" />
    <path d="M8 7.25v4M8 5h.01" />
  </>,
)
export const CheckIcon = icon(<path d="M3.25 8.5l3 3 6.5-7" />)
export const CopyIcon = icon(
  <>
    <rect x="5.25" y="5.25" width="8.5" height="8.5" rx="1.25" />
    <path d="M10.75 5.25V3.5a1.25 1.25 0 0 0-1.25-1.25H3.5A1.25 1.25 0 0 0 2.25 3.5v6a1.25 1.25 0 0 0 1.25 1.25h1.75" />
  </>,
)
export const ChevronDownIcon = icon(<path d="M4 6l4 4 4-4" />)
export const PlusIcon = icon(<path d="M8 3v10M3 8h10" />)
export const RefreshIcon = icon(
  <>
    <path d="M13.25 8a5.25 5.25 0 1 1-1.54-3.71" />
    <path d="M13.25 2.5v3h-3" />
  </>,
)
export const CloudIcon = icon(
  <path d="M4.5 12.75h7a3 3 0 0 0 .35-5.98A4.25 4.25 0 0 0 3.7 7.9a2.5 2.5 0 0 0 .8 4.85z" />,
)
export const BrandIcon = icon(
  <>
    <rect x="2" y="2" width="5" height="5" rx="1" />
    <rect x="9" y="2" width="5" height="5" rx="1" />
    <rect x="2" y="9" width="5" height="5" rx="1" />
    <rect x="9" y="9" width="5" height="5" rx="1" />
  </>,
  20,
)

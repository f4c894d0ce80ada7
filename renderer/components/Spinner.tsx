/** A busy indicator with its meaning announced to screen readers. */
export function Loading({ label, large = false }: { label: string; large?: boolean }) {
  return (
    <div className="loading-block" role="status">
      <span className={large ? 'spinner large' : 'spinner'} aria-hidden="true" />
      <span>{label}</span>
    </div>
  )
}

/** One command of a mount plan. */
export interface PlanStep {
  command: string
  args: string[]
  /** Written to the child's standard input (holds the key); never logged. */
  stdin?: string
}

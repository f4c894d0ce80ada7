import { createStore } from 'zustand/vanilla'
import { useStore } from 'zustand'
import type { DeploymentRef } from '../../../shared/deploy'
import type { PoolSpecDraft } from '../../../shared/pool-spec'
import {
  initialDraft,
  mergeImported,
  renamePool,
  withField,
  type Draft,
  type StepId,
} from './draft'

export interface ImportSummary {
  fileName: string
  format: 'dsvm-pool' | 'dsvm-vmss-cluster'
  taken: number
  notUnderstood: Array<{ parameter: string; message: string }>
}

export interface WizardState {
  draft?: Draft
  step: StepId
  /** Steps whose problems are shown (after Next was pressed there). */
  checked: StepId[]
  /** Answers (dotted paths) the person changed: their problems show as they type. */
  touched: string[]
  /**
   * Problems found from what a step loaded (quota for the chosen size and count), by path.
   * Shown at once with their reason, and they block Next like any other.
   */
  found: Record<string, string>
  imported?: ImportSummary
  /** The deployment shown in the progress view. */
  deployment?: DeploymentRef
  start(subscriptionId: string): void
  set(path: string, value: unknown): void
  /** Sets an answer that follows another (not counted as changed by the person). */
  follow(path: string, value: unknown): void
  rename(poolName: string): void
  replace(draft: Draft): void
  importAnswers(spec: PoolSpecDraft, summary: ImportSummary): void
  go(step: StepId): void
  check(step: StepId): void
  /** Sets or clears (undefined) a problem found from loaded data. */
  setFound(path: string, message: string | undefined): void
  watch(deployment: DeploymentRef | undefined): void
  reset(): void
}

/** The wizard's answers live here while the person moves between screens. */
export const wizardStore = createStore<WizardState>()((set, get) => ({
  step: 'basics',
  checked: [],
  touched: [],
  found: {},
  start: (subscriptionId) => {
    if (!get().draft) set({ draft: initialDraft(subscriptionId) })
  },
  set: (path, value) => {
    const draft = get().draft
    if (draft) set({ draft: withField(draft, path, value), touched: touch(get().touched, path) })
  },
  follow: (path, value) => {
    const draft = get().draft
    if (draft) set({ draft: withField(draft, path, value) })
  },
  rename: (poolName) => {
    const draft = get().draft
    if (draft)
      set({ draft: renamePool(draft, poolName), touched: touch(get().touched, 'poolName') })
  },
  replace: (draft) => set({ draft }),
  importAnswers: (spec, summary) => {
    const draft = get().draft
    if (draft) set({ draft: mergeImported(draft, spec), imported: summary })
  },
  go: (step) => set({ step }),
  check: (step) => set({ checked: [...new Set([...get().checked, step])] }),
  setFound: (path, message) => {
    const found = get().found
    if (found[path] === message) return
    const next = { ...found }
    if (message === undefined) delete next[path]
    else next[path] = message
    set({ found: next })
  },
  watch: (deployment) => set({ deployment }),
  reset: () =>
    set({
      draft: undefined,
      step: 'basics',
      checked: [],
      touched: [],
      found: {},
      imported: undefined,
    }),
}))

const touch = (touched: string[], path: string) =>
  touched.includes(path) ? touched : [...touched, path]

export const useWizard = <T>(selector: (state: WizardState) => T): T =>
  useStore(wizardStore, selector)

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
  imported?: ImportSummary
  /** The deployment shown in the progress view. */
  deployment?: DeploymentRef
  start(subscriptionId: string): void
  set(path: string, value: unknown): void
  rename(poolName: string): void
  replace(draft: Draft): void
  importAnswers(spec: PoolSpecDraft, summary: ImportSummary): void
  go(step: StepId): void
  check(step: StepId): void
  watch(deployment: DeploymentRef | undefined): void
  reset(): void
}

/** The wizard's answers live here while the person moves between screens. */
export const wizardStore = createStore<WizardState>()((set, get) => ({
  step: 'basics',
  checked: [],
  start: (subscriptionId) => {
    if (!get().draft) set({ draft: initialDraft(subscriptionId) })
  },
  set: (path, value) => {
    const draft = get().draft
    if (draft) set({ draft: withField(draft, path, value) })
  },
  rename: (poolName) => {
    const draft = get().draft
    if (draft) set({ draft: renamePool(draft, poolName) })
  },
  replace: (draft) => set({ draft }),
  importAnswers: (spec, summary) => {
    const draft = get().draft
    if (draft) set({ draft: mergeImported(draft, spec), imported: summary })
  },
  go: (step) => set({ step }),
  check: (step) => set({ checked: [...new Set([...get().checked, step])] }),
  watch: (deployment) => set({ deployment }),
  reset: () => set({ draft: undefined, step: 'basics', checked: [], imported: undefined }),
}))

export const useWizard = <T>(selector: (state: WizardState) => T): T =>
  useStore(wizardStore, selector)

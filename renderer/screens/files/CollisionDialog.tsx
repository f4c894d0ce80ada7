import { useRef, useState } from 'react'
import type { ExistingEntry, OnExisting } from '../../../shared/api'
import { Button } from '../../components/Button'
import { sizeText } from './size-text'

/*
 * "This name is taken": Replace, Keep both or Skip, one question at a time, with "do the
 * same for the rest" when more files of the batch collide. It shows when the file on the
 * share last changed and, only where this app wrote it and nobody changed it since, who:
 * Azure Files itself keeps no author.
 */

export type Choice = 'replace' | 'keepBoth' | 'skip'
export interface Answer {
  choice: Choice
  /** Apply the same choice to the other colliding files of this batch. */
  forRest: boolean
}

interface Question {
  existing: ExistingEntry
  changed: boolean
  others: number
  answer(answer: Answer): void
}

/** What the service is told for a choice on this entry. */
export function onExistingFor(choice: Choice, existing: ExistingEntry): OnExisting | 'skip' {
  return choice === 'replace' ? { replace: existing.etag } : choice
}

const when = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  )

/** One question on screen at a time; `ask` waits for its turn and for the answer. */
export function useCollisionQuestions() {
  const [question, setQuestion] = useState<Question>()
  const turn = useRef<Promise<unknown>>(Promise.resolve())
  const ask = (existing: ExistingEntry, changed: boolean, others = 0): Promise<Answer> => {
    const next = turn.current.then(
      () =>
        new Promise<Answer>((resolve) =>
          setQuestion({
            existing,
            changed,
            others,
            answer: (answer) => {
              setQuestion(undefined)
              resolve(answer)
            },
          }),
        ),
    )
    turn.current = next
    return next
  }
  const dialog = question ? <CollisionDialog key={question.existing.path} {...question} /> : null
  return { ask, dialog }
}

function CollisionDialog({ existing, changed, others, answer }: Question) {
  const [forRest, setForRest] = useState(false)
  const folder = existing.kind === 'folder'
  const title = changed
    ? `“${existing.name}” changed on the share`
    : folder
      ? `A folder named “${existing.name}” is already here`
      : `“${existing.name}” is already here`
  const changedWhen = `Last changed ${when(existing.lastChanged)}`
  const who = existing.changedBy
    ? ` by ${existing.changedBy}.`
    : folder
      ? '.'
      : '. Azure Files does not record who changed it.'
  const choose = (choice: Choice) => answer({ choice, forRest })
  return (
    <div
      className="files-collision"
      role="alertdialog"
      aria-labelledby="files-collision-title"
      aria-describedby="files-collision-body"
    >
      <h3 id="files-collision-title">{title}</h3>
      <div id="files-collision-body" className="files-collision-body">
        {changed && (
          <p>
            Someone changed it after you chose to replace it, so it was not replaced. Your upload
            waits for your choice.
          </p>
        )}
        <p>
          {changedWhen}
          {who}
          {existing.size !== undefined && ` ${sizeText(existing.size)}.`}
        </p>
        {folder && <p>A file cannot replace a folder: keep both, or skip this file.</p>}
      </div>
      {others > 0 && (
        <label className="files-collision-rest">
          <input
            type="checkbox"
            checked={forRest}
            onChange={(event) => setForRest(event.target.checked)}
          />
          Do the same for the other {others} {others === 1 ? 'file' : 'files'} already here
        </label>
      )}
      <div className="alert-actions">
        {!folder && (
          <Button variant="danger" onClick={() => choose('replace')}>
            Replace
          </Button>
        )}
        <Button
          variant="primary"
          autoFocus
          aria-describedby="files-collision-keep"
          onClick={() => choose('keepBoth')}
        >
          Keep both
        </Button>
        <Button onClick={() => choose('skip')}>Skip</Button>
      </div>
      <p id="files-collision-keep" className="muted">
        Keep both saves yours as {existing.keepBothName}.
      </p>
    </div>
  )
}

import { spawn } from 'node:child_process'
import type { PlanStep } from './mount-plan'

/** Runs a plan step and waits for it; its standard input carries the secret, if any. */
export interface CommandRunner {
  run(step: PlanStep): Promise<{ code: number; stderr: string }>
}

export class ProcessRunner implements CommandRunner {
  run(step: PlanStep): Promise<{ code: number; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(step.command, step.args, {
        shell: false,
        stdio: ['pipe', 'ignore', 'pipe'],
        windowsHide: true,
      })
      let stderr = ''
      child.stderr.setEncoding('utf8')
      child.stderr.on('data', (text: string) => (stderr = (stderr + text).slice(-2000)))
      child.once('error', reject)
      child.once('close', (code) => resolve({ code: code ?? 1, stderr }))
      child.stdin.end(step.stdin ?? '')
    })
  }
}

import type { LaunchSpec, Launcher } from '../../../electron/connect/launcher'

/** Records what would have been started; `programs` and `files` are what "exists". */
export class RecordingLauncher implements Launcher {
  readonly launched: LaunchSpec[] = []
  constructor(
    private readonly programs: string[] = [],
    private readonly files: string[] = [],
  ) {}

  async launch(spec: LaunchSpec): Promise<void> {
    this.launched.push({ command: spec.command, args: [...spec.args] })
  }

  async which(command: string): Promise<string | undefined> {
    return this.programs.includes(command) ? `/usr/bin/${command}` : undefined
  }

  async exists(path: string): Promise<boolean> {
    return this.files.includes(path)
  }
}

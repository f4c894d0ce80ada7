/** Where the project's TypeScript lives. */
export const checkedFolders: readonly string[]
/** Every relative import between the TypeScript files under `folders`, by path from `root`. */
export function importGraph(root: string, folders: readonly string[]): Map<string, string[]>
/** The groups of files that import each other, directly or round about. */
export function importCycles(graph: Map<string, string[]>): string[][]

/** The repository root (memoized); throws when no pibkit package.json is above targets/build/. */
export function repoRoot(): string;

/** Types of build-console.mjs, for the tests that build the console into a directory of their own. */
export function buildConsole(outDir?: string): Promise<{ script: string; css: string | undefined }>;

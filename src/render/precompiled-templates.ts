/**
 * herald's templates, precompiled, by `file options` (see
 * template-compile.ts). Empty in the sources: each template is compiled
 * from its file. scripts/compile.ts puts `precompiledModule()` in this
 * module's place in the compiled bundle.
 */
export const precompiledTemplates: Readonly<Record<string, unknown>> = {};

/**
 * The post-build steps every build runs: the full-text search index over
 * the written site. Steps that need a secret (CSAF signing) are added by
 * the command that has it.
 */
import { searchIndexStep } from '../render/site/search-index.ts';
import type { PostBuildStep } from './post-build.ts';

export const defaultPostBuildSteps: readonly PostBuildStep[] = [searchIndexStep];

import { loadMapping } from "../../mapping/mapping.js";
import { loadProfile, validateEntry } from "../../mapping/profile.js";
import type { ReviewItem } from "../../model/review.js";
import type { EntryMapper, EntryValidator } from "../entry-mapper.js";

/**
 * How to build a project's person mapping and validation from files: plain data, so a mapping
 * worker thread builds exactly what the planner's own thread uses.
 */
export interface MappingRecipe {
  /** The mapping file, as `loadMapping` reads it. */
  mappingFile: string;
  /** The federation profile: a built-in name or a resolved file; absent for `profile: none`. */
  profile?: string;
  /** Review items the ECK iD step left, per person reference; added to that person's validation. */
  eckIdReview?: ReadonlyMap<string, ReviewItem[]>;
}

/** The mapper and validator a {@link MappingRecipe} describes. */
export interface MappingStep {
  mapper: EntryMapper;
  validate?: EntryValidator;
}

/**
 * Builds the mapper and the validator (profile rules, then the person's ECK iD review items)
 * of a recipe.
 *
 * @example
 * const { mapper, validate } = await loadMappingStep({ mappingFile: "mapping.yaml", profile: "entree" });
 */
export async function loadMappingStep(recipe: MappingRecipe): Promise<MappingStep> {
  const mapper = await loadMapping(recipe.mappingFile);
  const profile = recipe.profile === undefined ? undefined : await loadProfile(recipe.profile);
  const eckIdReview = recipe.eckIdReview;
  if (!profile && !eckIdReview) return { mapper };
  return {
    mapper,
    validate: (attrs, record) => [
      ...(profile ? validateEntry(profile, attrs, record) : []),
      ...(eckIdReview?.get(record) ?? []),
    ],
  };
}

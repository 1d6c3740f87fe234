/**
 * The Derm1M data files (data/derm1m/, CC BY-NC 4.0), imported once and typed. Pure data: the
 * modules that use them take them as parameters, so tests can pass small fixtures.
 */
import conceptTermsJson from '../../data/derm1m/ConceptTerms.json';
import conceptPromptsJson from '../../data/derm1m/concept_prompts.Derm1M.json';
import ontologyJson from '../../data/derm1m/ontology.json';
import derm1mMetaJson from '../../data/derm1m/zero_shot_metadata.Derm1M.json';
import panDermMetaJson from '../../data/derm1m/zero_shot_metadata.PanDerm-X.json';
import aliasesJson from './ontology-aliases.json';
import type { OntologyAliases } from './ontology-aliases';
import splitsJson from './ontology-splits.json';

export type OntologyJson = Record<string, string[]>;
export type OntologySplits = { shared: Record<string, Record<string, string[]>> };

export const ONTOLOGY: OntologyJson = ontologyJson as OntologyJson;
export const ONTOLOGY_SPLITS: OntologySplits = splitsJson as OntologySplits;
/** The curated display names and aliases of every ontology node (src/core/ontology-aliases.ts). */
export const ONTOLOGY_ALIASES: OntologyAliases = aliasesJson as OntologyAliases;
export const CONCEPT_TERMS: Record<string, string[]> = conceptTermsJson as Record<string, string[]>;

export const OPENAI_SKIN_TEMPLATES: readonly string[] = derm1mMetaJson.OPENAI_SKIN_TEMPLATES;
export const DISEASE_TEMPLATES: readonly string[] = conceptPromptsJson.disease_prompt_template_list;
export const CONCEPT_TEMPLATES: readonly string[] = conceptPromptsJson.concept_prompt_template_list;
/** One list of reference prompts per concept template (same order). */
export const CONCEPT_REF_PROMPTS: readonly (readonly string[])[] = conceptPromptsJson.concept_prompt_ref_list;

export const DERM1M_META = derm1mMetaJson as unknown as Record<string, string[]>;
export const PANDERM_META = panDermMetaJson as unknown as Record<string, string[]>;

// Types of edgeflag/openfeature: OpenFeature providers backed by an
// EdgeFlagClient. Nothing is imported from OpenFeature at run time; these
// types name @openfeature/core's (the peer of both SDKs), so a provider is
// checked against the SDK's own Provider type where it is set.
import type { AnyProviderEvent, EvaluationContext, JsonValue, ProviderEventEmitter, ResolutionDetails } from '@openfeature/core';
import type { EdgeFlagClient } from './index.js';

/** A resolver's answer: OpenFeature's resolution details, awaited on servers. */
type Answer<Sync extends boolean, T> = Sync extends true ? ResolutionDetails<T> : Promise<ResolutionDetails<T>>;

/**
 * What both providers have. Details carry edgeflag's variant, reason and
 * error code, and as flag metadata the matched rule (`ruleId`), the unit's
 * `bucket`, the rollout's `exposure`, `failedPrerequisite`, `sticky` and
 * `unitMissing`.
 */
interface EdgeFlagProvider<Sync extends boolean> {
  readonly metadata: { readonly name: 'edgeflag' };
  /** PROVIDER_READY, PROVIDER_ERROR (only while no snapshot serves), PROVIDER_CONFIGURATION_CHANGED (with `flagsChanged`), PROVIDER_STALE. */
  readonly events: ProviderEventEmitter<AnyProviderEvent>;
  /** Waits for the client's first load; rejects when no snapshot could be loaded. */
  initialize(context?: EvaluationContext): Promise<void>;
  /** Frees the client (`client.free()`): its snapshot is dropped in the core. */
  onClose(): Promise<void>;
  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): Answer<Sync, boolean>;
  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Answer<Sync, string>;
  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): Answer<Sync, number>;
  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): Answer<Sync, T>;
}

/** For @openfeature/server-sdk: each evaluation converts its context (with the client's sticky store, if any). */
export declare function serverProvider(client: EdgeFlagClient): EdgeFlagProvider<false> & { readonly runsOn: 'server' };

/** For @openfeature/web-sdk: the static context is converted once when set or changed; evaluations are synchronous. */
export declare function webProvider(client: EdgeFlagClient): EdgeFlagProvider<true> & {
  readonly runsOn: 'client';
  onContextChange(previous: EvaluationContext, next: EvaluationContext): Promise<void>;
};

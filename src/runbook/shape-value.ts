// The TypeScript type of the value a Shape (shape.ts) accepts, read off the definition at
// compile time: types.ts derives the Runbook types from definition.ts through it, so a
// field added to the format is in the types without a second edit, and cannot drift.
import type { Shape } from './shape.js';

/** The value a shape accepts after validation. */
export type ShapeValue<S extends Shape> = S extends { kind: 'string' }
  ? string
  : S extends { kind: 'integer' | 'number'; template: true }
    ? number | string
    : S extends { kind: 'integer' | 'number' }
      ? number
      : S extends { kind: 'boolean' }
        ? boolean
        : S extends { kind: 'scalar' }
          ? string | number | boolean
          : S extends { kind: 'enum'; values: readonly (infer V)[] }
            ? V
            : S extends { kind: 'array'; items: infer I extends Shape }
              ? ShapeValue<I>[]
              : S extends { kind: 'oneOrMany'; items: infer I extends Shape }
                ? ShapeValue<I> | ShapeValue<I>[]
                : S extends { kind: 'map'; values: infer V extends Shape }
                  ? Record<string, ShapeValue<V>>
                  : S extends { kind: 'options' }
                    ? Record<string, unknown>
                    : S extends { kind: 'object'; properties: infer P }
                      ? ObjectValue<P>
                      : never;

type FieldLike = { shape: Shape; required?: boolean };
type RequiredKeys<P> = { [K in keyof P]: P[K] extends { required: true } ? K : never }[keyof P];
type OptionalKeys<P> = Exclude<keyof P, RequiredKeys<P>>;
type FieldValue<F> = F extends FieldLike ? ShapeValue<F['shape']> : never;

/** Required fields are required properties, the others optional; flattened so an editor
 *  shows the fields rather than the mapping. */
type ObjectValue<P> = Flat<{ [K in RequiredKeys<P>]: FieldValue<P[K]> } & { [K in OptionalKeys<P>]?: FieldValue<P[K]> }>;

export type Flat<T> = { [K in keyof T]: T[K] } & {};

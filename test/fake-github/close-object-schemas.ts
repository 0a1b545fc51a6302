/** A JSON value of a published description. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A property GitHub sends on objects listing certain others although the description omits it. */
export interface ExtraProperty {
  property: string;
  onObjectsListing: readonly string[];
  schema: Json;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `#/components/schemas/name` of the same document, or undefined for any other reference. */
function resolveLocal(document: JsonObject, ref: string): Json | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: Json | undefined = document;
  for (const part of ref.slice(2).split('/')) {
    if (!isObject(node)) return undefined;
    node = node[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return node;
}

/**
 * A copy of an OpenAPI 3.0 document with `nullable: true` written as JSON Schema says it (`type: [..., 'null']`, or
 * `anyOf` with null where there is no `type`), which Ajv needs before anything else.
 */
export function convertNullable(document: JsonObject): JsonObject {
  const convert = (node: Json, underProperties: boolean): Json => {
    if (Array.isArray(node)) return node.map((item) => convert(item, false));
    if (!isObject(node)) return node;
    const copy: JsonObject = {};
    for (const [key, child] of Object.entries(node)) {
      if (key === 'nullable' && !underProperties) continue;
      copy[key] = convert(child, !underProperties && key === 'properties');
    }
    if (underProperties || node.nullable !== true) return copy;
    if (typeof node.type === 'string') {
      copy.type = [node.type, 'null'];
      if (Array.isArray(node.enum) && !node.enum.includes(null)) copy.enum = [...node.enum, null];
      return copy;
    }
    return { anyOf: [copy, { type: 'null' }] };
  };
  return convert(document, false) as JsonObject;
}

/**
 * A copy of an OpenAPI document in which every object schema that lists its `properties` and says nothing about
 * others refuses unlisted ones (`unevaluatedProperties: false`). GitHub's descriptions leave response and webhook
 * objects open, yet GitHub sends exactly the documented fields: a fake that sends more (or misspells one) would let
 * code depend on something GitHub never sends. Members of an `allOf` stay open (their siblings add properties); the
 * `allOf` itself is closed, and a referenced member is inlined open so the component stays closed elsewhere.
 * `extras` are the documented exceptions: properties GitHub sends that the description does not list.
 */
export function closeObjectSchemas(document: JsonObject, extras: readonly ExtraProperty[] = []): JsonObject {
  const close = (node: Json, allOfMember: boolean): Json => {
    if (Array.isArray(node)) return node.map((item) => close(item, false));
    if (!isObject(node)) return node;
    if (allOfMember && typeof node.$ref === 'string') {
      const target = resolveLocal(document, node.$ref);
      if (target !== undefined) return close(target, true);
    }
    const copy: JsonObject = {};
    for (const [key, child] of Object.entries(node)) {
      if (key === 'properties' && isObject(child)) {
        const properties = Object.fromEntries(
          Object.entries(child).map(([name, value]) => [name, close(value, false)]),
        );
        for (const extra of extras)
          if (!(extra.property in child) && extra.onObjectsListing.every((name) => name in child))
            properties[extra.property] = extra.schema;
        copy[key] = properties;
      } else if (key === 'allOf' && Array.isArray(child))
        copy[key] = child.map((member) => close(member, true));
      else copy[key] = close(child, false);
    }
    const open =
      'additionalProperties' in node || 'unevaluatedProperties' in node || 'patternProperties' in node;
    if (!allOfMember && !open && (isObject(node.properties) || Array.isArray(node.allOf)))
      copy.unevaluatedProperties = false;
    return copy;
  };
  return close(document, false) as JsonObject;
}

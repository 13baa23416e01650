import fastJson from "fast-json-stringify";
import type { FastifyInstance } from "fastify";
import { serializerCompiler as zodSerializerCompiler } from "fastify-type-provider-zod";
import { $ZodType, toJSONSchema } from "zod/v4/core";

type SerializerCompiler = Parameters<FastifyInstance["setSerializerCompiler"]>[0];

/**
 * Answers are written by fast-json-stringify, compiled once per route from the zod response schema.
 * Like zod's serializer it writes only the declared properties (`additionalProperties: false` in the
 * output JSON Schema), so a row or an internal field never reaches a client; it does not re-validate
 * each value, which cost ~11 % of a cached session check's CPU (docs/benchmarks.md). A schema that
 * has no JSON Schema form falls back to zod's own serializer for that route.
 */
export const serializerCompiler: SerializerCompiler = (route) => {
  const zodSchema = responseZodSchema(route.schema);
  if (zodSchema) {
    try {
      const jsonSchema = toJSONSchema(zodSchema, { io: "output", unrepresentable: "any", target: "draft-7" });
      return fastJson(jsonSchema as Parameters<typeof fastJson>[0]);
    } catch {
      // fall through: zod's serializer handles what JSON Schema cannot express
    }
  }
  return (zodSerializerCompiler as SerializerCompiler)(route);
};

function responseZodSchema(schema: unknown): $ZodType | null {
  if (schema instanceof $ZodType) return schema;
  const properties = (schema as { properties?: unknown } | null)?.properties;
  return properties instanceof $ZodType ? properties : null;
}

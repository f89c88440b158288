import type Router from '@koa/router';
import { z } from 'zod';
import { errorBodySchema } from '@shared/errors';
import { isValidateMiddleware, type ValidateMiddleware, type ValidateSchemas } from '../middleware';

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // Dates, transforms and the like have no JSON form: describe them as "any" rather than fail the spec.
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** `/articles/:id` → `/articles/{id}`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parametersFrom(schema: z.ZodType | undefined, where: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

function operationFor(method: string, path: string, v: ValidateMiddleware<ValidateSchemas>): JsonSchema {
  const { schemas, doc } = v;
  const status = String(doc.status ?? 200);
  const errorResponse = {
    description: '错误（见 error.code）',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
  };
  return {
    operationId: `${method}_${path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`,
    ...(doc.summary ? { summary: doc.summary } : {}),
    tags: doc.tags ?? [path.split('/').filter(Boolean).slice(2, 3)[0] ?? 'misc'],
    parameters: [...parametersFrom(schemas.params, 'path'), ...parametersFrom(schemas.query, 'query')],
    ...(schemas.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(schemas.body, 'input') } } } }
      : {}),
    ...(doc.auth ? { security: [{ bearer: [] }] } : {}),
    // Who may call it (RouteAccess): the authorization matrix test reads it from here.
    ...(doc.access ? { 'x-access': doc.access } : {}),
    responses: {
      [status]: doc.response
        ? { description: '成功', content: { 'application/json': { schema: toSchema(doc.response, 'output') } } }
        : { description: '成功' },
      default: errorResponse,
    },
  };
}

/**
 * The OpenAPI 3.1 document, built by walking the mounted routers: every route that uses validate()
 * appears with the very zod schemas that check its input, so the reference cannot drift from the code.
 */
export function buildOpenApiDocument(routers: readonly Router[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const router of routers) {
    for (const layer of router.stack) {
      if (typeof layer.path !== 'string') continue;
      const v = layer.stack.find(isValidateMiddleware);
      if (!v) continue;
      const path = openApiPath(layer.path);
      for (const method of layer.methods) {
        if (method === 'HEAD') continue;
        const m = method.toLowerCase();
        (paths[path] ??= {})[m] = operationFor(m, path, v);
      }
    }
  }
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: '3.1.0',
    info: {
      title: '融媒社区 API',
      version: '1',
      description: '县级融媒体中心社区平台接口。所有错误均为 { error: { code, message, details? } }。',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { ErrorBody: toSchema(errorBodySchema, 'output') },
    },
    paths: sorted,
  };
}

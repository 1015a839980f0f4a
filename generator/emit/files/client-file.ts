/**
 * `client.ts`: the command and event maps, and the typed command wrappers —
 * one method per command on a class over any QmpTransport.
 */
import type { Command, EnumType, Event } from '../../model/types.js';
import { CLIENT_NAMES, REGISTRY_NAMES } from '../naming/fixed-names.js';
import { codeSpan, renderText } from '../parts/doc-markdown.js';
import { DocBuilder } from '../parts/docs.js';
import { documentedErrors } from '../parts/error-docs.js';
import { docLine, ex, typeAlias, type FileSyntax, type MethodDeclaration, type Parameter, type Statement } from '../syntax/statements.js';
import { ty, type TypeNode } from '../syntax/type-syntax.js';
import type { Plan } from '../naming/plan.js';
import { FileBuilder } from '../parts/file-builder.js';

export interface ClientOptions {
  /** The wire error classes; from the schema's ErrorClass enum when present. */
  readonly errorClasses: readonly string[];
  /** The schema's ErrorClass enum, if it has one. */
  readonly errorClassEnum: EnumType | null;
}

const N = CLIENT_NAMES;

export function emitClientFile(plan: Plan, options: ClientOptions): FileSyntax {
  const f = new FileBuilder(plan, 'client');
  const commands = plan.commands();
  f.add(commandMap(f, commands), ...helperTypes(), ...eventMap(f, plan.events()), ...errorTypes(f, options), commandClass(f, commands, options));
  return f.finish();
}

/** A command's argument type, and whether the arguments may be left out. */
function argumentsOf(f: FileBuilder, c: Command): { type: TypeNode; optional: boolean } | null {
  if (!c.argType) return null;
  const members = c.argType.members.filter((m) => f.plan.filter.keeps(m));
  const optional = c.argType.variants === null && members.every((m) => m.optional);
  return { type: f.typeOf(c.argType), optional };
}

function returnOf(f: FileBuilder, c: Command): TypeNode {
  return c.retType && c.successResponse ? f.typeOf(c.retType) : ty.keyword('void');
}

function commandMap(f: FileBuilder, commands: readonly Command[]): Statement {
  return {
    kind: 'interface',
    name: N.commands,
    docs: docLine('Every command: its arguments, what it returns, whether it may run out of band.'),
    extends: [],
    properties: commands.map((c) => {
      const args = argumentsOf(f, c);
      const argType = args ? (args.optional ? ty.union([args.type, ty.keyword('undefined')]) : args.type) : ty.keyword('undefined');
      const shape = ty.object([ty.property('args', argType), ty.property('returns', returnOf(f, c)), ty.property('oob', ty.literal(c.allowOob))]);
      return ty.property(c.name, shape);
    }),
  };
}

function helperTypes(): Statement[] {
  const commands = ty.ref(N.commands);
  // `NAME<K extends CommandName> = Commands[K]['KEY']`
  const part = (name: string, key: string): Statement => ({
    kind: 'type',
    name,
    docs: [],
    typeParameters: [{ name: 'K', constraint: ty.ref(N.commandName) }],
    type: ty.indexed(ty.indexed(commands, ty.ref('K')), ty.literal(key)),
  });
  return [typeAlias(N.commandName, ty.keyof(commands)), part(N.argumentsOf, 'args'), part(N.returnOf, 'returns')];
}

function eventMap(f: FileBuilder, events: readonly Event[]): Statement[] {
  return [
    {
      kind: 'interface',
      name: N.eventData,
      docs: docLine('Every event and the type of its data.'),
      extends: [],
      properties: events.map((e) => ({
        ...ty.property(e.name, e.argType ? f.typeOf(e.argType) : ty.keyword('undefined')),
        docs: new DocBuilder(f.docLinks).entity(e.doc, e.ifcond, e.features).build(),
      })),
    },
    // A mapped type, not the interface itself: only an object type alias
    // satisfies the runtime's `EventMap` (Record<string, unknown>).
    typeAlias(
      N.events,
      ty.mapped('K', ty.keyof(ty.ref(N.eventData)), ty.indexed(ty.ref(N.eventData), ty.ref('K'))),
      docLine('The event map for `QmpClient<Events>`: handlers get typed data.'),
    ),
  ];
}

function errorTypes(f: FileBuilder, options: ClientOptions): Statement[] {
  const wire = options.errorClassEnum ? f.typeOf(options.errorClassEnum) : ty.union(options.errorClasses.map((c) => ty.literal(c)));
  return [
    typeAlias(N.wireErrorClass, wire, docLine('The error classes QEMU sends (its ErrorClass enum).')),
    typeAlias(N.commandError, f.runtimeType('QmpError', ty.ref(N.wireErrorClass)), docLine('An error reply to a command, as the runtime throws it.')),
  ];
}

function commandClass(f: FileBuilder, commands: readonly Command[], options: ClientOptions): Statement {
  return {
    kind: 'class',
    name: N.commandClass,
    docs: docLine(
      'Typed wrappers, one method per command.  Arguments are validated before anything is\n' +
        'sent; an invalid call rejects with a QapiValidationError and never reaches QEMU.',
    ),
    extends: f.runtimeType('CommandRunner', ty.ref(N.commands)),
    ctor: {
      parameters: [{ name: 'transport', type: f.runtimeType('QmpTransport'), optional: false }],
      body: [{ kind: 'expression', value: ex.call(ex.id('super'), ex.id('transport'), ex.id(f.importValue('registry', REGISTRY_NAMES.registry))) }],
    },
    methods: commands.map((c) => method(f, c, options)),
  };
}

function method(f: FileBuilder, c: Command, options: ClientOptions): MethodDeclaration {
  const args = argumentsOf(f, c);
  const promise = ty.ref('Promise', returnOf(f, c));
  const parameters: Parameter[] = [
    ...(args ? [{ name: 'args', type: args.type, optional: args.optional }] : []),
    { name: 'options', type: f.runtimeType(c.allowOob ? 'OobCallOptions' : 'CallOptions'), optional: true },
  ];
  const call = ex.call(ex.prop(ex.id('this'), 'call'), ex.literal(c.name), ex.id(args ? 'args' : 'undefined'), ex.id('options'));
  return {
    name: f.plan.methodOf(c),
    docs: methodDoc(f, c, options).build(),
    parameters,
    returnType: promise,
    body: [{ kind: 'return', value: ex.as(call, promise) }],
  };
}

function methodDoc(f: FileBuilder, c: Command, options: ClientOptions): DocBuilder {
  const doc = new DocBuilder(f.docLinks).note(`Runs ${codeSpan(c.name)}.`);
  doc.entity(c.doc, c.ifcond, c.features);
  // The arguments are documented member by member on their type, where
  // editors show each as it is typed (a \`@param\` cannot name a member
  // like \`job-id\`); a boxed command's type is documented on its own.
  const argId = c.argType ? f.plan.typeId(c.argType) : undefined;
  if (argId !== undefined) doc.tag('param', `args - The arguments, each documented on {@link ${argId}}.`);
  if (!c.successResponse) doc.note('QEMU sends no reply; the promise resolves once the command is sent.');
  if (c.allowOob) doc.note('May run out of band: pass `{ oob: true }` (needs the `oob` capability).');
  for (const e of documentedErrors(c.doc, new Set(options.errorClasses))) {
    const named = e.documented === null ? '' : e.errorClass === e.documented ? '' : ` (documented as ${codeSpan(e.documented)})`;
    doc.tag('throws', `QmpError ${codeSpan(e.errorClass)}${named}: ${renderText(e.condition, f.docLinks)}`);
  }
  return doc;
}

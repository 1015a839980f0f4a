/**
 * `client.ts`: the command and event maps, and the command class — one
 * method per command, each calling the command's function, on any
 * QmpTransport.  A program that uses the class gets every command; one
 * that calls the functions gets only those (bundlers drop the rest).
 */
import type { Command, EnumType, Event } from '../../model/types.js';
import { CLIENT_NAMES, REGISTRY_NAMES } from '../naming/fixed-names.js';
import { argumentsOf, commandDocs, commandParameters, returnOf } from '../parts/commands.js';
import { DocBuilder } from '../parts/docs.js';
import { docLine, ex, typeAlias, type FileSyntax, type MethodDeclaration, type Statement } from '../syntax/statements.js';
import { ty } from '../syntax/type-syntax.js';
import type { Plan } from '../naming/plan.js';
import { FileBuilder } from '../parts/file-builder.js';
import { fixedText } from '../templates.js';

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

function commandMap(f: FileBuilder, commands: readonly Command[]): Statement {
  return {
    kind: 'interface',
    name: N.commands,
    docs: docLine(fixedText('client', N.commands)),
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
      docs: docLine(fixedText('client', N.eventData)),
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
      docLine(fixedText('client', N.events)),
    ),
  ];
}

function errorTypes(f: FileBuilder, options: ClientOptions): Statement[] {
  const wire = options.errorClassEnum ? f.typeOf(options.errorClassEnum) : ty.union(options.errorClasses.map((c) => ty.literal(c)));
  return [
    typeAlias(N.wireErrorClass, wire, docLine(fixedText('client', N.wireErrorClass))),
    typeAlias(N.commandError, f.runtimeType('QmpError', ty.ref(N.wireErrorClass)), docLine(fixedText('client', N.commandError))),
  ];
}

function commandClass(f: FileBuilder, commands: readonly Command[], options: ClientOptions): Statement {
  return {
    kind: 'class',
    name: N.commandClass,
    docs: docLine(fixedText('client', N.commandClass)),
    extends: { name: f.importRuntime('CommandRunner'), args: [ty.ref(N.commands)] },
    ctor: {
      parameters: [{ name: 'transport', type: f.runtimeType('QmpTransport'), optional: false }],
      body: [{ kind: 'expression', value: ex.call('super', ex.id('transport'), ex.id(f.importFrom('registry', REGISTRY_NAMES.registry))) }],
    },
    methods: commands.map((c) => method(f, c, options)),
  };
}

function method(f: FileBuilder, c: Command, options: ClientOptions): MethodDeclaration {
  const parameters = commandParameters(f, c);
  const fn = f.importFrom(f.plan.fileOf(c.module), f.plan.functionOf(c));
  const args = parameters.length > 1 ? [ex.id('args')] : [];
  return {
    name: f.plan.methodOf(c),
    docs: commandDocs(f, c, new Set(options.errorClasses)),
    parameters,
    returnType: ty.ref('Promise', returnOf(f, c)),
    body: [{ kind: 'return', value: ex.call(fn, ex.prop(ex.id('this'), 'transport'), ...args, ex.id('options')) }],
  };
}

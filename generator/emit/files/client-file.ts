/**
 * `client.ts`: the command and event maps, and the command class — one
 * method per command, each calling the command's function, on any
 * QmpTransport.  A program that uses the class gets every command; one
 * that calls the functions gets only those (bundlers drop the rest).
 */
import type { Command, EnumType, Event } from '../../model/types.js';
import { CLIENT_NAMES, REGISTRY_NAMES } from '../naming/fixed-names.js';
import { LOCAL_NAMES as L } from '../naming/local-names.js';
import { argumentsOf, commandDocs, commandParameters, returnOf, takesRelease } from '../parts/commands.js';
import { DocBuilder } from '../parts/docs.js';
import { featureWhen, presenceNote } from '../parts/availability.js';
import { docLine, ex, typeAlias, type FileSyntax, type MethodDeclaration, type Statement } from '../syntax/statements.js';
import { ty } from '../syntax/type-syntax.js';
import type { Plan } from '../naming/plan.js';
import { FileBuilder, RELEASE, type MadePart } from '../parts/file-builder.js';
import { fixedText } from '../templates.js';

export interface ClientOptions {
  /** The wire error classes; from the schema's ErrorClass enum when present. */
  readonly errorClasses: readonly string[];
  /** The schema's ErrorClass enum, if it has one. */
  readonly errorClassEnum: EnumType | null;
}

const N = CLIENT_NAMES;

/**
 * Where a caller that emits again and again (emit/kept.ts) keeps what
 * client.ts holds of each command and event (its property of the command
 * or event map, its method), and finds it again while nothing that is made
 * of changed.
 */
export interface ClientParts {
  find(of: Command | Event, what: ClientPartKind): MadePart<object> | undefined;
  keep(of: Command | Event, what: ClientPartKind, part: MadePart<object>): void;
}

export type ClientPartKind = 'command-property' | 'event-property' | 'method';

/** What `make` makes for a command or an event, or what it made before. */
function partOf<T extends object>(f: FileBuilder, parts: ClientParts | undefined, of: Command | Event, what: ClientPartKind, make: () => T): T {
  if (parts === undefined) return make();
  const kept = parts.find(of, what);
  if (kept !== undefined) return f.again(kept) as T;
  const made = f.made(make);
  parts.keep(of, what, made);
  return made.value;
}

export function emitClientFile(plan: Plan, options: ClientOptions, parts?: ClientParts): FileSyntax {
  const f = new FileBuilder(plan, 'client');
  const commands = plan.commands();
  f.add(commandMap(f, commands, parts), ...helperTypes(f), ...eventMap(f, plan.events(), parts), ...errorTypes(f, options), commandClass(f, commands, options, parts));
  return f.finish();
}

/** In a span, the releases of a command when some release lacks it. */
function partial(f: FileBuilder, c: Command): number | null {
  const shapes = f.plan.span;
  if (!shapes) return null;
  const set = shapes.releasesOf(c);
  return set === shapes.span.all ? null : set;
}

function commandMap(f: FileBuilder, commands: readonly Command[], parts?: ClientParts): Statement {
  const r = f.plan.span ? RELEASE : undefined;
  return {
    kind: 'interface',
    name: N.commands,
    docs: docLine(fixedText('client', f.plan.span ? `${N.commands}-in-a-span` : N.commands)),
    ...(r ? { typeParameters: [f.releaseParameter()] } : {}),
    extends: [],
    properties: commands.map((c) => partOf(f, parts, c, 'command-property', () => {
      const args = argumentsOf(f, c, r);
      let argType = args ? (args.optional ? ty.union([args.type, ty.keyword('undefined')]) : args.type) : ty.keyword('undefined');
      const set = partial(f, c);
      // A view of releases that lack the command cannot call it.
      if (set !== null) argType = f.inRelease(set, argType);
      const shape = ty.object([ty.property('args', argType), ty.property('returns', returnOf(f, c, r)), ty.property('oob', ty.literal(c.allowOob))]);
      return ty.property(c.name, shape);
    })),
  };
}

function helperTypes(f: FileBuilder): Statement[] {
  const spanned = f.plan.span !== null;
  const commands = spanned ? ty.ref(N.commands, RELEASE) : ty.ref(N.commands);
  // `NAME<K extends CommandName> = Commands[K]['KEY']` (and the releases `R` in a span)
  const part = (name: string, key: string): Statement => ({
    kind: 'type',
    name,
    docs: [],
    typeParameters: [{ name: L.key, constraint: ty.ref(N.commandName) }, ...(spanned ? [f.releaseParameter()] : [])],
    type: ty.indexed(ty.indexed(commands, ty.ref(L.key)), ty.literal(key)),
  });
  return [typeAlias(N.commandName, ty.keyof(ty.ref(N.commands))), part(N.argumentsOf, 'args'), part(N.returnOf, 'returns')];
}

function eventMap(f: FileBuilder, events: readonly Event[], parts?: ClientParts): Statement[] {
  return [
    {
      kind: 'interface',
      name: N.eventData,
      docs: docLine(fixedText('client', N.eventData)),
      extends: [],
      properties: events.map((e) =>
        partOf(f, parts, e, 'event-property', () => ({
          ...ty.property(e.name, e.argType ? f.typeOf(e.argType) : ty.keyword('undefined')),
          docs: eventDoc(f, e).build(),
        })),
      ),
    },
    // A mapped type, not the interface itself: only an object type alias
    // satisfies the runtime's `EventMap` (Record<string, unknown>).
    typeAlias(
      N.events,
      ty.mapped(L.key, ty.keyof(ty.ref(N.eventData)), ty.indexed(ty.ref(N.eventData), ty.ref(L.key))),
      docLine(fixedText('client', N.events)),
    ),
  ];
}

function eventDoc(f: FileBuilder, e: Event): DocBuilder {
  const shapes = f.plan.span;
  if (!shapes) return new DocBuilder(f.docLinks).entity(e.doc, e.ifcond, e.features);
  const within = shapes.releasesOf(e);
  const doc = new DocBuilder(f.docLinks).entity(e.doc, e.ifcond, e.features, (x) => featureWhen(shapes.span, x, within));
  const note = presenceNote(shapes.span, within, shapes.span.all);
  return note ? doc.note(note) : doc;
}

function errorTypes(f: FileBuilder, options: ClientOptions): Statement[] {
  const wire = options.errorClassEnum ? f.typeOf(options.errorClassEnum) : ty.union(options.errorClasses.map((c) => ty.literal(c)));
  return [
    typeAlias(N.wireErrorClass, wire, docLine(fixedText('client', N.wireErrorClass))),
    typeAlias(N.commandError, f.runtimeType('QmpError', ty.ref(N.wireErrorClass)), docLine(fixedText('client', N.commandError))),
  ];
}

function commandClass(f: FileBuilder, commands: readonly Command[], options: ClientOptions, parts?: ClientParts): Statement {
  const spanned = f.plan.span !== null;
  return {
    kind: 'class',
    name: N.commandClass,
    docs: docLine(fixedText('client', spanned ? `${N.commandClass}-in-a-span` : N.commandClass)),
    ...(spanned ? { typeParameters: [f.releaseParameter()] } : {}),
    extends: { name: f.importRuntime('CommandRunner'), args: spanned ? [ty.ref(N.commands, RELEASE), f.releaseUnion(), RELEASE] : [ty.ref(N.commands)] },
    ctor: {
      parameters: [{ name: L.transport, type: f.runtimeType('QmpTransport'), optional: false }],
      body: [{ kind: 'expression', value: ex.call('super', ex.id(L.transport), ex.id(f.importFrom('registry', REGISTRY_NAMES.registry))) }],
    },
    methods: [...(spanned ? releaseMethods(f) : []), ...commands.map((c) => partOf(f, parts, c, 'method', () => method(f, c, options)))],
  };
}

/** `at(release)` and `isRelease(release)`: the views of one release. */
function releaseMethods(f: FileBuilder): MethodDeclaration[] {
  const view = ty.ref(N.commandClass, ty.ref(L.view));
  const param = [{ name: L.releaseArgument, type: ty.ref(L.view), optional: false }];
  return [
    {
      name: 'at',
      docs: docLine(fixedText('client', 'at')),
      typeParameters: [f.releaseParameter(L.view, false)],
      parameters: param,
      returnType: view,
      body: [{ kind: 'return', value: ex.as(ex.call('this.viewOf', ex.id(L.releaseArgument)), view) }],
    },
    {
      name: 'isRelease',
      docs: docLine(fixedText('client', 'isRelease')),
      typeParameters: [f.releaseParameter(L.view, false)],
      parameters: param,
      returnType: ty.predicate('this', view),
      body: [{ kind: 'return', value: ex.call('this.releaseIs', ex.id(L.releaseArgument)) }],
    },
  ];
}

function method(f: FileBuilder, c: Command, options: ClientOptions): MethodDeclaration {
  const generic = takesRelease(f, c);
  const parameters = commandParameters(f, c, f.plan.span ? RELEASE : undefined);
  const fn = f.importFrom(f.plan.fileOf(c.module), f.plan.functionOf(c));
  const args = parameters.length > 1 ? [ex.id(L.args)] : [];
  const set = partial(f, c);
  // Releases that lack the command have no `this` to call it on.
  const gate = set === null ? [] : [{ name: 'this', type: f.runtimeType('ReleaseGate', RELEASE, f.releaseSet(set), ty.ref(N.commandClass, RELEASE)), optional: false }];
  return {
    name: f.plan.methodOf(c),
    docs: commandDocs(f, c, new Set(options.errorClasses)),
    parameters: [...gate, ...parameters],
    returnType: ty.ref('Promise', returnOf(f, c, f.plan.span ? RELEASE : undefined)),
    body: [{ kind: 'return', value: ex.callTyped(fn, generic ? [RELEASE] : [], ex.prop(ex.id('this'), 'transport'), ...args, ex.id(L.options)) }],
  };
}

// The AWS permissions a handler's code needs, derived from the code itself:
// every AWS SDK v3 command object (`new XxxCommand(...)` of an
// `@aws-sdk/client-*` package or `@aws-sdk/lib-dynamodb`) that the handler can
// reach, mapped to its IAM action. deployment/terraform/checks.mjs compares
// these with the role policies of an offline `terraform plan`, so a role never
// keeps a permission its code lost, nor misses one its code gained.
//
// Reachability follows the TypeScript type checker from the handler module:
// the module's top-level statements and exported functions, then every
// function, method, constructor, variable or class field that reachable code
// refers to (a method called through an interface counts for every project
// class method of that name). The checker sees the project's own sources and
// the standard library's declarations (Pick<> and the like), not
// node_modules (the SDK's declarations would take seconds to load): an SDK
// command is recognised by its import from an @aws-sdk package.
// A class referred to brings its constructor and fields, not its other
// methods: IssueStore in the identification bundle brings GetItem, PutItem and
// UpdateItem, not the Query only reporting calls. That is why this reads the
// call graph rather than the bundle, which holds every method of a class.
//
// DynamoDB actions are tied to a table by the module that sends them
// (TABLE_OF_MODULE); a DynamoDB command in another module is an error until
// the map says which table it uses.
import ts from 'typescript';
import { readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/** Which table each module's DynamoDB commands address (config.json names them). */
export const TABLE_OF_MODULE = {
  'library/issues/issueStore.ts': 'issues',
  'library/scan/apiRequestProgress.ts': 'api_requests',
  'reporting/credentialsTable.ts': 'credentials',
  'reporting/runLease.ts': 'issues',
  'reporting/ddb_inject_credentials.ts': 'credentials',
  'library/realtime/rescanDebounce.ts': 'realtime_debounce',
};

/** lib-dynamodb's document commands and the DynamoDB operation each sends. */
const DOCUMENT_COMMANDS = {
  GetCommand: 'GetItem',
  PutCommand: 'PutItem',
  UpdateCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  QueryCommand: 'Query',
  ScanCommand: 'Scan',
  BatchGetCommand: 'BatchGetItem',
  BatchWriteCommand: 'BatchWriteItem',
};

/** Operations whose IAM action has another name. */
const ACTION_OF_OPERATION = {
  'sns:PublishBatch': 'sns:Publish',
};

export class SdkPermissionError extends Error {
  name = 'SdkPermissionError';
}

/** The IAM action of one SDK command export (`package` as `@aws-sdk/client-sns`). */
export function iamActionOf(packageName, commandName) {
  if (packageName === '@aws-sdk/lib-dynamodb') {
    const operation = DOCUMENT_COMMANDS[commandName];
    if (operation === undefined) throw new SdkPermissionError(`${packageName} ${commandName}: no IAM action known for this document command; add it to DOCUMENT_COMMANDS in deployment/terraform/sdkPermissions.mjs`);
    return `dynamodb:${operation}`;
  }
  const service = /^@aws-sdk\/client-([a-z0-9-]+)$/.exec(packageName)?.[1];
  if (service === undefined || !commandName.endsWith('Command')) throw new SdkPermissionError(`${packageName} ${commandName} is not an AWS SDK v3 command`);
  const action = `${service}:${commandName.slice(0, -'Command'.length)}`;
  return ACTION_OF_OPERATION[action] ?? action;
}

/** The @aws-sdk package and exported name an import alias refers to, if it is one. */
function sdkImportOf(declaration) {
  if (!ts.isImportSpecifier(declaration)) return undefined;
  const importDeclaration = declaration.parent.parent.parent;
  const specifier = importDeclaration.moduleSpecifier;
  if (!ts.isStringLiteral(specifier) || !specifier.text.startsWith('@aws-sdk/')) return undefined;
  return { packageName: specifier.text, exportName: (declaration.propertyName ?? declaration.name).text };
}

function sourceFilesUnder(root, folders) {
  const files = [];
  for (const folder of folders) {
    for (const entry of readdirSync(join(root, folder), { recursive: true })) {
      const path = String(entry);
      if (path.endsWith('.ts') && !path.endsWith('.d.ts')) files.push(join(root, folder, path));
    }
  }
  return files.sort();
}

function isInTypePosition(node) {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (ts.isTypeNode(current) || ts.isInterfaceDeclaration(current) || ts.isTypeAliasDeclaration(current) || ts.isImportDeclaration(current) || ts.isExportDeclaration(current)) return true;
    if (ts.isExpressionWithTypeArguments(current) && ts.isHeritageClause(current.parent) && current.parent.token === ts.SyntaxKind.ImplementsKeyword) return true;
    if (ts.isStatement(current) || ts.isSourceFile(current)) return false;
  }
  return false;
}

/**
 * The SDK calls each entry module can make.
 * @param {{ root: string, entries: Record<string, string>, folders?: string[], tableOfModule?: Record<string, string> }} options
 *   entries: name => path of the handler module, relative to root; folders:
 *   where the project's sources are (default config, library, lambdas, reporting).
 * @returns {Record<string, { permissions: string[], calls: Array<{ permission: string, command: string, module: string, line: number }> }>}
 *   permissions: sorted, "service:Action" or "dynamodb:Action table/<role>".
 */
export function deriveSdkPermissions(options) {
  const root = resolve(options.root);
  const tableOfModule = options.tableOfModule ?? TABLE_OF_MODULE;
  const entryFiles = Object.fromEntries(Object.entries(options.entries).map(([name, path]) => [name, resolve(root, path)]));
  const rootNames = [...new Set([...sourceFilesUnder(root, options.folders ?? ['config', 'library', 'lambdas', 'reporting']), ...Object.values(entryFiles)])];
  const program = ts.createProgram({
    rootNames,
    options: {
      noResolve: true,
      // The standard library's declarations, for Pick<>, Record<> and the
      // like, through which project types are reached; no @types or SDK.
      lib: ['lib.es2023.d.ts'],
      types: [],
      noEmit: true,
      allowImportingTsExtensions: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
    },
  });
  const checker = program.getTypeChecker();
  const projectFile = (sourceFile) => !sourceFile.isDeclarationFile;
  const moduleName = (sourceFile) => relative(root, sourceFile.fileName).split(sep).join('/');

  // Project class members by name, for calls through interfaces.
  const membersByName = new Map();
  for (const sourceFile of program.getSourceFiles()) {
    if (!projectFile(sourceFile)) continue;
    const visit = (node) => {
      if (ts.isClassLike(node)) {
        for (const member of node.members) {
          if ((ts.isMethodDeclaration(member) || ts.isPropertyDeclaration(member) || ts.isGetAccessor(member)) && member.name !== undefined && ts.isIdentifier(member.name)) {
            const list = membersByName.get(member.name.text) ?? [];
            list.push(member);
            membersByName.set(member.name.text, list);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }

  const results = {};
  for (const [name, entryFile] of Object.entries(entryFiles)) {
    const entry = program.getSourceFile(entryFile);
    if (entry === undefined) throw new SdkPermissionError(`${name}: entry module ${entryFile} not found`);
    const seen = new Set();
    const queue = [];
    const calls = [];
    const enqueue = (node) => {
      if (node !== undefined && !seen.has(node)) {
        seen.add(node);
        queue.push(node);
      }
    };
    const seenModules = new Set();
    const enqueueModule = (sourceFile) => {
      if (seenModules.has(sourceFile)) return;
      seenModules.add(sourceFile);
      // What runs on import: statements that are not declarations.
      for (const statement of sourceFile.statements) {
        if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)
          || ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isVariableStatement(statement)) continue;
        enqueue(statement);
      }
    };

    const followDeclaration = (declaration, reference) => {
      const sourceFile = declaration.getSourceFile();
      const sdkImport = sdkImportOf(declaration);
      if (sdkImport !== undefined) {
        const { packageName, exportName } = sdkImport;
        const commandPackage = packageName.startsWith('@aws-sdk/client-') || packageName === '@aws-sdk/lib-dynamodb';
        if (!commandPackage) return;
        if (exportName.endsWith('Command')) {
          const where = reference.getSourceFile();
          calls.push({ packageName, command: exportName, module: moduleName(where), line: where.getLineAndCharacterOfPosition(reference.getStart()).line + 1 });
        } else if (!/(Client|Exception)$/.test(exportName)) {
          throw new SdkPermissionError(`${moduleName(reference.getSourceFile())}: ${packageName} ${exportName} is used; the permission check understands command objects sent by a client (new XxxCommand), not aggregated clients or other helpers`);
        }
        return;
      }
      if (!projectFile(sourceFile)) return;
      enqueueModule(sourceFile);
      if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration) || ts.isGetAccessor(declaration) || ts.isSetAccessor(declaration) || ts.isConstructorDeclaration(declaration)) {
        enqueue(declaration.body);
      } else if (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isPropertyAssignment(declaration)) {
        enqueue(declaration.initializer);
      } else if (ts.isClassLike(declaration)) {
        for (const member of declaration.members) {
          if (ts.isConstructorDeclaration(member)) enqueue(member.body);
          else if (ts.isPropertyDeclaration(member)) enqueue(member.initializer);
          else if (ts.isClassStaticBlockDeclaration(member)) enqueue(member.body);
        }
        for (const clause of declaration.heritageClauses ?? []) {
          if (clause.token === ts.SyntaxKind.ExtendsKeyword) for (const type of clause.types) enqueue(type.expression);
        }
      } else if ((ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration)) && declaration.name !== undefined && ts.isIdentifier(declaration.name)) {
        // Called through an interface: any project class member of that name may run.
        for (const member of membersByName.get(declaration.name.text) ?? []) {
          if (ts.isPropertyDeclaration(member)) enqueue(member.initializer);
          else enqueue(member.body);
        }
      } else if (ts.isParameter(declaration) || ts.isBindingElement(declaration) || ts.isShorthandPropertyAssignment(declaration)) {
        // Values flow in from callers, whose code is scanned where they are.
      }
    };

    // An import of a project module resolves to the declaration; an import of
    // a package (unresolved here) stays the import specifier, which names it.
    const declarationsOf = (symbol) => {
      if (symbol === undefined) return [];
      if (symbol.flags & ts.SymbolFlags.Alias) {
        const aliased = checker.getAliasedSymbol(symbol);
        if (aliased !== undefined && aliased.declarations?.length && !(aliased.flags & ts.SymbolFlags.Alias)) return aliased.declarations;
      }
      return symbol.declarations ?? [];
    };

    const scan = (node) => {
      if (ts.isIdentifier(node) && !isInTypePosition(node)) {
        const declarations = [...declarationsOf(checker.getSymbolAtLocation(node))];
        if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) declarations.push(...declarationsOf(checker.getShorthandAssignmentValueSymbol(node.parent)));
        for (const declaration of declarations) followDeclaration(declaration, node);
        // A member the checker cannot resolve (its object's type comes from
        // outside the project, or is not known): any project class member of
        // that name may run, as for a call through an interface.
        if (declarations.length === 0 && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) {
          for (const member of membersByName.get(node.text) ?? []) {
            if (ts.isPropertyDeclaration(member)) enqueue(member.initializer);
            else enqueue(member.body);
          }
        }
      }
      ts.forEachChild(node, scan);
    };

    // The handler module: what runs on import, and what it exports (the
    // handler Lambda calls).
    enqueueModule(entry);
    for (const statement of entry.statements) {
      const exported = ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
      if (!exported) continue;
      if (ts.isFunctionDeclaration(statement)) enqueue(statement.body);
      else if (ts.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) enqueue(declaration.initializer);
    }
    while (queue.length > 0) scan(queue.shift());

    const permissions = new Set();
    const described = [];
    for (const call of calls) {
      let permission = iamActionOf(call.packageName, call.command);
      if (permission.startsWith('dynamodb:')) {
        const table = tableOfModule[call.module];
        if (table === undefined) throw new SdkPermissionError(`${call.module}:${call.line}: ${call.command} sends a DynamoDB request, but TABLE_OF_MODULE in deployment/terraform/sdkPermissions.mjs does not say which table this module uses`);
        permission = `${permission} table/${table}`;
      }
      permissions.add(permission);
      described.push({ permission, command: `${call.packageName} ${call.command}`, module: call.module, line: call.line });
    }
    results[name] = { permissions: [...permissions].sort(), calls: described };
  }
  return results;
}

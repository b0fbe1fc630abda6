/*
 * Shared jest setup of every package (packages/<name>/jest.config.js calls it
 * with its own directory), from @jupyterlab/testutils' config.
 * Specs live in src/__tests__/*.spec.ts(x) and run in jsdom.
 */
const path = require('path');
const jestJupyterLab = require('@jupyterlab/testutils/lib/jest-config');

// ES-module packages that must be transformed (not ignored) by babel-jest.
const esModules = [
  '@codemirror',
  '@jupyter/ydoc',
  '@jupyter/react-components',
  '@jupyter/web-components',
  '@jupyterlab/',
  '@lezer',
  '@marijn',
  '@microsoft',
  'color',
  'exenv-es6',
  'lib0',
  'marked',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

module.exports = packageDir => {
  const baseConfig = jestJupyterLab(packageDir);
  return {
    ...baseConfig,
    automock: false,
    collectCoverageFrom: [
      'src/**/*.{ts,tsx}',
      '!src/**/__tests__/**',
      '!src/**/*.d.ts'
    ],
    moduleNameMapper: {
      ...baseConfig.moduleNameMapper,
      // test against the sources of the shared library, no build needed
      '^@cloudscapes/core$': path.join(
        __dirname,
        'packages',
        'core',
        'src',
        'index.ts'
      )
    },
    reporters: ['default'],
    roots: ['<rootDir>/src'],
    testRegex: 'src/__tests__/.*\\.spec\\.tsx?$',
    transform: {
      ...baseConfig.transform,
      '^.+\\.tsx?$': [
        'ts-jest/legacy',
        {
          // ts-jest reads ./tsconfig.json and applies these on top: that file
          // builds lib/ (ES modules, bundler resolution, composite, no test
          // globals), jest runs CommonJS and also compiles ../core/src.
          tsconfig: {
            composite: false,
            declaration: false,
            incremental: false,
            noEmitOnError: false,
            rootDir: __dirname,
            allowSyntheticDefaultImports: true,
            esModuleInterop: true,
            jsx: 'react',
            lib: ['DOM', 'DOM.Iterable', 'ES2022'],
            module: 'commonjs',
            moduleResolution: 'node10',
            resolveJsonModule: true,
            skipLibCheck: true,
            strict: true,
            target: 'ES2020',
            types: ['jest', 'node'],
            ignoreDeprecations: '5.0'
          }
        }
      ]
    },
    transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`]
  };
};

/**
 * The git server as the F2 specs (diff, dialogs, github, conflicts) see it: a
 * `ServerConnection.makeRequest` stand-in answering `cloudscapes/git/<route>`
 * from a table of handlers and recording every request (method, route, query,
 * parsed body, and the raw URL and init for leak checks).
 */
import { ServerConnection } from '@jupyterlab/services';
import { ReactWidget } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';
import type * as React from 'react';

import { settle } from '../../../core/src/__tests__/render';

export interface ISeenRequest {
  method: string;
  route: string;
  params: Record<string, string>;
  body: any;
  url: string;
  init: RequestInit;
}

/**
 * A handler's answer: a body (status 200), or a status with a body.
 */
export type Answer = unknown | { status: number; body: unknown };

export type Handler = (request: ISeenRequest) => Answer | Promise<Answer>;

/**
 * An answer with a status (anything else is a 200 body).
 */
export function status(code: number, body: unknown): Answer {
  return { __status: code, body };
}

/**
 * Serve `routes` ("GET diff", "POST github/device"…); a route without a handler
 * answers 404 with an error body. A handler given as an array answers its
 * items in turn, the last one again and again.
 */
export function serveGit(routes: Record<string, Handler | Answer[]>) {
  const seen: ISeenRequest[] = [];
  const spy = jest
    .spyOn(ServerConnection, 'makeRequest')
    .mockImplementation(async (url: string, init: RequestInit) => {
      const parsed = new URL(url, 'http://localhost');
      const route = parsed.pathname.replace(/^.*\/cloudscapes\/git\//, '');
      const params: Record<string, string> = {};
      parsed.searchParams.forEach((value, key) => {
        params[key] = value;
      });
      const method = (init.method ?? 'GET').toUpperCase();
      const body =
        typeof init.body === 'string' && init.body
          ? JSON.parse(init.body)
          : undefined;
      const request: ISeenRequest = { method, route, params, body, url, init };
      seen.push(request);
      const handler = routes[`${method} ${route}`];
      let answer: any;
      if (Array.isArray(handler)) {
        answer = handler.length > 1 ? handler.shift() : handler[0];
      } else if (typeof handler === 'function') {
        answer = await (handler as Handler)(request);
      } else {
        answer = {
          __status: 404,
          body: {
            error: {
              code: 'not_found',
              message: `No ${method} ${route}`,
              hint: ''
            }
          }
        };
      }
      const code = answer && answer.__status ? answer.__status : 200;
      const payload = answer && answer.__status ? answer.body : answer;
      return new Response(
        payload === undefined ? '' : JSON.stringify(payload),
        {
          status: code,
          headers: { 'Content-Type': 'application/json' }
        }
      );
    });
  return { seen, spy };
}

/**
 * Render a React element attached to the page; `$`/`$$` query inside it.
 */
export async function mount(element: React.ReactElement) {
  const widget = ReactWidget.create(element);
  Widget.attach(widget, document.body);
  widget.update();
  await settle();
  const $ = <T extends Element = HTMLElement>(selector: string) =>
    widget.node.querySelector(selector) as T | null;
  const $$ = <T extends Element = HTMLElement>(selector: string) =>
    Array.from(widget.node.querySelectorAll(selector)) as T[];
  return { widget, node: widget.node, $, $$ };
}

/**
 * Wait until `predicate()` holds (React renders, requests answer, polls tick).
 */
export async function until(
  predicate: () => boolean,
  what = 'the condition',
  timeout = 3000
): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeout) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  await settle();
}

/**
 * Type into a React-controlled input (or a plain one).
 */
export function type(
  element: HTMLInputElement | HTMLTextAreaElement,
  value: string
): void {
  const prototype = Object.getPrototypeOf(element);
  Object.getOwnPropertyDescriptor(prototype, 'value')!.set!.call(
    element,
    value
  );
  element.dispatchEvent(new Event('input', { bubbles: true }));
  element.dispatchEvent(new Event('change', { bubbles: true }));
}

/**
 * The open JupyterLab dialog's node, and its buttons by label.
 */
export function openDialog(): HTMLElement | null {
  return document.body.querySelector('.jp-Dialog');
}

export function dialogButton(label: string): HTMLButtonElement {
  const buttons = Array.from(
    document.body.querySelectorAll<HTMLButtonElement>('.jp-Dialog-button')
  );
  const button = buttons.find(b => b.textContent?.trim() === label);
  if (!button) {
    throw new Error(
      `No dialog button "${label}" (${buttons.map(b => b.textContent).join(', ')})`
    );
  }
  return button;
}

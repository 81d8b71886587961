import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SHORTCUT } from '../../src/slack/blocks/ids.js';
import { COMMAND } from '../../src/slack/listeners/commands/index.js';

interface Manifest {
  display_information: { name: string; description: string };
  features: { shortcuts: { name: string; type: string; callback_id: string }[]; slash_commands: { command: string; url?: string; usage_hint: string }[]; app_home: { home_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url?: string }; socket_mode_enabled: boolean; event_subscriptions: { request_url?: string; bot_events: string[] } };
}

const read = (name: string) => parse(readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8')) as Manifest;

describe('app manifests', () => {
  it.each([
    ['manifest.yml', false],
    ['manifest.socket.yml', true],
  ] as const)('%s declares the command the code listens for, interactivity and only the scopes it uses', (file, socket) => {
    const manifest = read(file);
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([COMMAND]);
    expect(manifest.oauth_config.scopes.bot).toEqual(['commands', 'chat:write', 'files:write', 'im:write']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    // The Home tab: published on app_home_opened, which (like views.publish) needs no scope.
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    // The message shortcut uses the commands scope and the interactivity URL.
    expect(manifest.features.shortcuts).toEqual([expect.objectContaining({ type: 'message', callback_id: SHORTCUT.troubleshootThis, name: 'Troubleshoot this' })]);
    expect(manifest.settings.socket_mode_enabled).toBe(socket);
    // Socket Mode has no request URLs; HTTP sends everything to Bolt's one endpoint.
    const urls = [manifest.settings.interactivity.request_url, manifest.settings.event_subscriptions.request_url, ...manifest.features.slash_commands.map((c) => c.url)];
    if (socket) expect(urls.every((u) => u === undefined)).toBe(true);
    else expect(urls.every((u) => u?.endsWith('/slack/events'))).toBe(true);
  });
});

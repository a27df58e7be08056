/** A board's name in the wall's language: built-in boards are translated, admins' boards shown as named. */
import type { BoardView } from '$contract/boards.ts';
import type { MessageKey } from '$lib/i18n/catalog.ts';

const BUILT_IN_NAMES: Record<string, MessageKey> = {
  overview: 'board.overview',
  agents: 'board.agents',
  'human-ai': 'board.humanAi',
  queues: 'board.queues',
};

export function boardName(board: Pick<BoardView, 'id' | 'name' | 'builtIn'>, t: (key: MessageKey) => string): string {
  const key = board.builtIn ? BUILT_IN_NAMES[board.id] : undefined;
  return key ? t(key) : board.name;
}

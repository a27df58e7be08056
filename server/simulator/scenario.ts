/** The demo contact center: queues, agents, bots and the phrases they use. Data, not logic. */
import type { Channel, EscalationReason } from '../contract/events.ts';

export const QUEUES = ['billing', 'tech_support', 'sales', 'vip_care', 'returns'] as const;
export type DemoQueue = (typeof QUEUES)[number];

export const CHANNEL_MIX: Record<Channel, number> = { voice: 42, chat: 33, app: 12, email: 6, social: 7 };
/** Share of contacts on each channel that meet a bot first. */
export const BOT_FIRST: Record<Channel, number> = { voice: 0.7, chat: 0.9, app: 0.95, email: 0.3, social: 0.8 };

export const INTENTS: Record<string, { queue: DemoQueue; contain: number }> = {
  check_balance: { queue: 'billing', contain: 0.85 },
  payment_dispute: { queue: 'billing', contain: 0.25 },
  reset_password: { queue: 'tech_support', contain: 0.8 },
  device_fault: { queue: 'tech_support', contain: 0.3 },
  upgrade_plan: { queue: 'sales', contain: 0.35 },
  new_contract: { queue: 'sales', contain: 0.2 },
  order_status: { queue: 'returns', contain: 0.85 },
  return_item: { queue: 'returns', contain: 0.5 },
};

export const ESCALATION_MIX: Record<EscalationReason, number> = {
  customer_request: 30,
  low_confidence: 22,
  complex_issue: 25,
  negative_sentiment: 10,
  high_value: 7,
  policy: 4,
  other: 2,
};

export type DemoAgent = { id: string; name: string; team: string; queues: DemoQueue[]; remote: boolean };

const NAMES = [
  'Alice Chen',
  '王芳',
  'Ben Carter',
  '李娜',
  'Chloe Martin',
  '张伟',
  'David Okafor',
  '刘洋',
  'Emma Rossi',
  '陈静',
  'Farid Haddad',
  '杨磊',
  'Grace Kim',
  '赵敏',
  'Hugo Silva',
  '黄丽',
  'Isla Novak',
  '周杰',
  'Jonas Berg',
  '吴婷',
  'Kara Singh',
  '徐明',
  'Liam Walsh',
  '孙悦',
  'Maya Patel',
  '马超',
  'Noah Fischer',
  '朱琳',
];

// Sales intents escalate most (bots rarely close a contract), so sales gets two of every five people.
const TEAMS: { team: string; queues: DemoQueue[] }[] = [
  { team: 'Billing', queues: ['billing', 'returns'] },
  { team: 'Sales', queues: ['sales'] },
  { team: 'Tech', queues: ['tech_support', 'billing'] },
  { team: 'Sales', queues: ['sales', 'vip_care'] },
  { team: 'Care', queues: ['vip_care', 'returns', 'tech_support'] },
];

export function demoAgents(count: number): DemoAgent[] {
  return Array.from({ length: count }, (_, i) => {
    const t = TEAMS[i % TEAMS.length]!;
    return {
      id: `agent-${String(i + 1).padStart(2, '0')}`,
      name: NAMES[i % NAMES.length]!,
      team: t.team,
      queues: [...t.queues],
      remote: i % 3 === 0,
    };
  });
}

export const PHRASES = {
  customerOpen: [
    'Hi, I have a question about my bill.',
    'My device stopped working this morning.',
    'I would like to upgrade my plan.',
    '你好，我想查一下我的订单状态。',
    '我的账单好像多扣了一笔钱。',
    'Where is my order?',
  ],
  bot: [
    'I can help with that. Could you confirm your account number?',
    'Thanks! Let me look that up for you.',
    '好的，我来帮您查询。',
    'I am connecting you to a specialist who can help further.',
  ],
  customer: [
    'Sure, it is 4417.',
    'That did not help.',
    '谢谢，我明白了。',
    'Can I speak to a person please?',
    '还是不行。',
  ],
  /** The bot not understanding, said again and again: what the QA review flags call a bot loop. */
  botLoop: ['Sorry, I did not understand that. Could you say it another way?', '抱歉，我没有理解，请换一种说法。'],
  /** The customer's last words, by how the contact went. */
  closeHappy: ['Great, thank you so much for your help!', '好的，谢谢，问题解决了。', 'Perfect, that works.'],
  closeUnhappy: [
    'This is ridiculous, I have explained this three times.',
    '太失望了，问题还是没有解决。',
    'I am really frustrated, nothing was fixed.',
  ],
  agent: [
    'Thanks for waiting, I can see what happened.',
    'I have refunded the duplicate charge.',
    '您好，我已经为您处理好了。',
    'Is there anything else I can help with today?',
  ],
};

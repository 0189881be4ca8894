/**
 * Just enough of other languages to notice a customer the bot cannot answer well: its replies are English.
 * Read by social triage (public posts) and by the DM language check. Words are compared without accents
 * ("llego" matches "llegó"); CJK cues are matched as substrings because those scripts have no spaces between words.
 */

export interface LanguageCues {
  /** Words/phrases that make a post a complaint or a request for help by themselves. */
  complaint: string[];
  /** Care subjects (order, delivery, refund…) in that language, keyed like the English ones. */
  subjects: Record<string, string[]>;
  praise: string[];
}

export const LANGUAGE_NAMES: Record<string, string> = {
  es: 'Spanish', de: 'German', fr: 'French', pt: 'Portuguese', it: 'Italian', zh: 'Chinese', ja: 'Japanese', ko: 'Korean',
};

/** Latin-script languages: whole-word matching, accents ignored. */
export const LATIN_CUES: Record<string, LanguageCues> = {
  es: {
    complaint: ['nunca llego', 'no llego', 'no ha llegado', 'todavia no', 'sigo esperando', 'nadie responde', 'nadie contesta', 'pesimo', 'roto', 'rota', 'danado', 'perdido', 'queja', 'estafa', 'reembolso', 'devolucion', 'donde esta', 'no funciona', 'cancelar', 'vergüenza', 'verguenza'],
    subjects: { order: ['pedido', 'compra'], delivery: ['paquete', 'envio', 'entrega'], refund: ['reembolso', 'devolucion'] },
    praise: ['gracias', 'genial', 'excelente'],
  },
  de: {
    complaint: ['nie angekommen', 'nicht angekommen', 'noch nicht da', 'warte immer noch', 'niemand antwortet', 'keine antwort', 'kaputt', 'beschadigt', 'verloren', 'katastrophe', 'unverschamt', 'betrug', 'beschwerde', 'ruckerstattung', 'erstattung', 'wo ist', 'funktioniert nicht', 'kundigen', 'schlecht'],
    subjects: { order: ['bestellung'], delivery: ['paket', 'lieferung', 'sendung'], refund: ['ruckerstattung', 'erstattung'] },
    praise: ['danke', 'vielen dank', 'super'],
  },
  fr: {
    complaint: ['jamais arrive', 'pas arrive', 'pas recu', 'jamais recu', 'toujours rien', 'toujours pas', 'personne ne repond', 'casse', 'endommage', 'perdu', 'honteux', 'inadmissible', 'arnaque', 'plainte', 'remboursement', 'ou est', 'ne marche pas', 'ne fonctionne pas', 'resilier'],
    subjects: { order: ['commande'], delivery: ['colis', 'livraison'], refund: ['remboursement'] },
    praise: ['merci', 'bravo'],
  },
  pt: {
    complaint: ['nunca chegou', 'nao chegou', 'ainda nao', 'ninguem responde', 'pessimo', 'quebrado', 'danificado', 'perdido', 'golpe', 'reclamacao', 'reembolso', 'cade', 'onde esta', 'nao funciona', 'cancelar'],
    subjects: { order: ['pedido', 'encomenda'], delivery: ['pacote', 'entrega'], refund: ['reembolso'] },
    praise: ['obrigado', 'obrigada'],
  },
  it: {
    complaint: ['mai arrivato', 'non e arrivato', 'non arrivato', 'ancora niente', 'nessuno risponde', 'pessimo', 'rotto', 'danneggiato', 'perso', 'vergogna', 'truffa', 'reclamo', 'rimborso', "dov'e", 'non funziona', 'disdire'],
    subjects: { order: ['ordine'], delivery: ['pacco', 'consegna', 'spedizione'], refund: ['rimborso'] },
    praise: ['grazie'],
  },
};

/** CJK cues, matched as substrings. */
export const CJK_CUES: Record<string, LanguageCues> = {
  zh: {
    complaint: ['丢', '没收到', '未收到', '还没到', '没到', '退款', '投诉', '差评', '坏了', '破损', '太差', '骗', '怎么回事'],
    subjects: { delivery: ['包裹', '快递', '物流'], order: ['订单'], refund: ['退款'] },
    praise: ['谢谢', '感谢'],
  },
  ja: {
    complaint: ['届かない', '届いていない', '返金', '壊れ', '最悪', '紛失', 'ひどい'],
    subjects: { delivery: ['荷物', '配送'], order: ['注文'], refund: ['返金'] },
    praise: ['ありがとう'],
  },
  ko: {
    complaint: ['안 와', '안와', '환불', '최악', '파손', '분실'],
    subjects: { delivery: ['배송', '택배'], order: ['주문'], refund: ['환불'] },
    praise: ['감사'],
  },
};

/** Lower case without accents, so "Pésimo" and "pesimo" read the same. */
export function foldAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The script tells CJK languages apart without a tag: kana is Japanese, Hangul Korean, other Han Chinese. */
export function cjkLanguageOf(text: string): string | undefined {
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return 'ja';
  if (/\p{Script=Hangul}/u.test(text)) return 'ko';
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  return undefined;
}

/**
 * The one acknowledgement a customer writing in another language gets, in English and in their language.
 * Fixed, reviewed sentences only (never machine-translated at runtime); a language without one here is
 * acknowledged in English alone.
 */
import { LANGUAGE_NAMES } from '../services/recognition/languageCues';

const IN_THEIR_LANGUAGE: Record<string, string> = {
  es: 'Gracias por escribirnos. Un miembro de nuestro equipo que habla español le atenderá aquí.',
  de: 'Danke für Ihre Nachricht. Eine Person aus unserem Team, die Deutsch spricht, meldet sich hier bei Ihnen.',
  fr: 'Merci de nous avoir écrit. Un membre de notre équipe qui parle français va vous répondre ici.',
  pt: 'Obrigado pela sua mensagem. Uma pessoa da nossa equipe que fala português vai responder aqui.',
  it: 'Grazie per averci scritto. Un membro del nostro team che parla italiano le risponderà qui.',
  zh: '感谢您的留言。我们会安排会说中文的同事在这里为您服务。',
  ja: 'お問い合わせありがとうございます。日本語を話せる担当者がこちらで対応いたします。',
  ko: '문의해 주셔서 감사합니다. 한국어를 하는 담당자가 여기에서 도와드리겠습니다.',
};

export function languageName(language: string): string {
  return LANGUAGE_NAMES[language] ?? language;
}

/** English first (the team reads the transcript too), then the same in the customer's language. */
export function acknowledgementIn(language: string): string {
  const english = `Thank you for writing to us. A member of our team who speaks ${languageName(language)} will help you here.`;
  const theirs = IN_THEIR_LANGUAGE[language];
  return theirs ? `${english}\n\n${theirs}` : english;
}

/** What the team sees as the reason for the handoff. */
export function languageHandoffReason(language: string): string {
  return `the customer writes in ${languageName(language)}`;
}

/** The DM language check: clearly foreign messages are noticed; English with a foreign word, a name, an order number or emoji is not. */
import { describe, expect, it } from 'vitest';
import { readLanguage } from '../../services/recognition/dmLanguage';

describe('reading the language of a DM', () => {
  it.each([
    ['es', 'Hola, mi pedido AB-2024117 llegó roto, necesito ayuda'],
    ['de', 'Mein Paket ist nie angekommen'],
    ['fr', "Bonjour, je n'ai jamais reçu ma commande AB-2024117, j'ai besoin d'aide"],
    ['pt', 'Olá, minha encomenda AB-2024117 nunca chegou, preciso de ajuda'],
    ['it', 'Ciao, il mio pacco AB-2024117 non è mai arrivato, ho bisogno di aiuto'],
    ['zh', '你好，我的订单AB-2024117还没到，包裹好像丢了'],
    ['ja', '注文した荷物がまだ届かないです'],
    ['ko', '주문한 택배가 아직 안 와요'],
  ])('when the message is clearly %s, then that language is read', (language, text) => {
    expect(readLanguage(text, 'en-US')).toEqual({ language, english: false });
  });

  it.each([
    'Thanks, gracias! My order AB-2024117 arrived broken',
    'Hi, this is María Fernández de la Vega, my parcel never arrived',
    'Merci!',
    'gracias',
    'AB-2024117',
    '😡😡📦',
    'Hola! This is Carmen Para, my order never came',
    'My friend 李明 ordered a lamp for me and it came broken',
  ])('when the message is %j, then no other language is read', (text) => {
    expect(readLanguage(text, 'en-US').language).toBeUndefined();
  });

  it('when the channel says es-ES, then two Spanish words are enough, but English words still win', () => {
    expect(readLanguage('Hola, gracias', 'es-ES').language).toBe('es');
    expect(readLanguage('Hola, gracias', 'en-US').language).toBeUndefined();
    expect(readLanguage('My order AB-2024117 arrived broken, please help', 'es-ES').language).toBeUndefined();
  });

  it('when the customer writes English, then it reads as English; an order number or "ok" does not', () => {
    expect(readLanguage('Can we speak English? My order is broken').english).toBe(true);
    expect(readLanguage('AB-2024117').english).toBe(false);
    expect(readLanguage('ok').english).toBe(false);
  });
});

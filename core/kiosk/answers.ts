// The check-in rules' answer (core/checkin) as the screen shows it. Pure functions.
import type { FrameResult, GuestView } from '../api';
import type { CheckInAnswer, GuestCard } from '../checkin/checkin';

export function guestView(card: GuestCard): GuestView {
  return {
    name: card.name,
    nameLatin: card.nameLatin,
    organisation: card.organisation,
    category: card.category,
    language: card.language,
  };
}

export function screenFor(answer: CheckInAnswer): FrameResult {
  switch (answer.kind) {
    case 'checked_in':
      return {
        kind: 'checked_in',
        guest: guestView(answer.guest),
        entrance: answer.entrance,
        at: answer.at,
      };
    case 'welcome_back':
      return {
        kind: 'already_checked_in',
        guest: guestView(answer.guest),
        entrance: answer.entrance,
        firstAt: answer.first.at,
        firstEntrance: answer.first.entrance,
      };
    case 'not_allowed_here':
      return {
        kind: 'not_allowed_here',
        guest: guestView(answer.guest),
        entrance: answer.entrance,
        allowed: answer.allowed,
      };
    case 'revoked':
      // No name on screen for a revoked pass: staff take it from here.
      return { kind: 'see_staff' };
  }
}

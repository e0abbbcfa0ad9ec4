import type { CameraProblem } from '../camera';
import { Icon } from '../components/Icon';
import type { Translate } from '../i18n';

export function CameraProblemScreen({ problem, t }: { problem: CameraProblem; t: Translate }) {
  return (
    <section className="result result-camera" data-screen="camera" aria-labelledby="ct">
      <Icon name="camera" />
      <h1 id="ct" className="result-title">
        {t(`camera.${problem}.title`)}
      </h1>
      <p className="result-detail">{t('camera.guest')}</p>
      <p className="staff-note" role="note">
        {t(`camera.staff.${problem}`)}
      </p>
    </section>
  );
}

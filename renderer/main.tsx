import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { DeskRoot, deskMode } from './desk/entry';
import { kioskClient } from './kiosk-client';
import './styles.css';

const root = document.getElementById('root');
// ?mode=staff (from the kiosk's Staff button) or ?mode=desk (`npm start -- --desk`): staff mode.
const mode = deskMode();
if (root) {
  createRoot(root).render(
    <StrictMode>{mode ? <DeskRoot mode={mode} /> : <App kiosk={kioskClient()} />}</StrictMode>,
  );
}

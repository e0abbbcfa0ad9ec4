// The mirrored camera picture with each detected face outlined. Boxes come in frame pixels and
// are mirrored here the same way as the video, so the outline sits on the face.
import type { RefObject } from 'react';

export interface Outline {
  box: { x: number; y: number; width: number; height: number };
  acceptable: boolean;
}

export function CameraStage(props: {
  videoRef: RefObject<HTMLVideoElement | null>;
  frame: { width: number; height: number } | null;
  faces: Outline[];
  label: string;
  hidden: boolean;
}) {
  const { frame, faces } = props;
  return (
    <div
      className={props.hidden ? 'stage stage-hidden' : 'stage'}
      aria-label={props.label}
      role="img"
    >
      <video ref={props.videoRef} className="stage-video" muted playsInline autoPlay />
      {frame ? (
        <svg
          className="stage-overlay"
          viewBox={`0 0 ${frame.width} ${frame.height}`}
          preserveAspectRatio="xMidYMid slice"
          aria-hidden="true"
        >
          {faces.map((face, i) => (
            <rect
              key={i}
              x={frame.width - face.box.x - face.box.width}
              y={face.box.y}
              width={face.box.width}
              height={face.box.height}
              rx={Math.min(face.box.width, face.box.height) * 0.18}
              className={face.acceptable ? 'outline good' : 'outline poor'}
            />
          ))}
        </svg>
      ) : null}
    </div>
  );
}

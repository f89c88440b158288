#!/bin/sh
# The seed's one video (video-0.mp4, 2.5 s, 480×270, silent) and its poster (video-0.png): a title card drawn by
# ffmpeg (Debian's ffmpeg, WenQuanYi Micro Hei for the Chinese text), nothing taken from outside. Re-run from this
# folder to redraw them: sh make-video.sh
set -e
FONT=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
ffmpeg -y -loglevel error \
  -f lavfi -i "color=c=0xc8102e:s=480x270:d=2.5:r=15" \
  -vf "drawbox=x=0:y=ih*0.72:w=iw*min(1\,t/1.2):h=6:color=white@0.9:t=fill,\
drawtext=fontfile=$FONT:text='融媒社区 · 视频新闻':fontcolor=white@0.85:fontsize=20:x=24:y=24,\
drawtext=fontfile=$FONT:text='云岭红叶 层林尽染':fontcolor=white:fontsize=40:x=(w-text_w)/2:y=h*0.38-(1-min(1\,t/0.6))*30:alpha=min(1\,t/0.6),\
drawtext=fontfile=$FONT:text='青川县融媒体中心 出品':fontcolor=white@0.9:fontsize=20:x=(w-text_w)/2:y=h*0.58:alpha=min(1\,max(0\,(t-0.5)/0.6))" \
  -c:v libx264 -profile:v baseline -level 3.0 -pix_fmt yuv420p -preset veryslow -crf 30 -movflags +faststart -an video-0.mp4
ffmpeg -y -loglevel error -ss 2 -i video-0.mp4 -frames:v 1 video-0.png

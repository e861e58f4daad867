<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP">
<context>
    <name>HistoryPage</name>
    <message>
        <location filename="../history.py" line="123" />
        <source>Case history</source>
        <translation>案件履歴</translation>
    </message>
    <message>
        <location filename="../history.py" line="124" />
        <source>Back to home</source>
        <translation>ホームへ戻る</translation>
    </message>
    <message>
        <location filename="../history.py" line="125" />
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
    <message>
        <location filename="../history.py" line="126" />
        <source>Recent cases</source>
        <translation>最近の案件</translation>
    </message>
    <message>
        <location filename="../history.py" line="127" />
        <source>Audit trail of the selected case</source>
        <translation>選択した案件の監査記録</translation>
    </message>
    <message>
        <location filename="../history.py" line="129" />
        <source>Opened</source>
        <translation>開始日時</translation>
    </message>
    <message>
        <location filename="../history.py" line="130" />
        <source>Traveller</source>
        <translation>旅客</translation>
    </message>
    <message>
        <location filename="../history.py" line="131" />
        <source>Document no.</source>
        <translation>旅券番号</translation>
    </message>
    <message>
        <location filename="../history.py" line="132" />
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <location filename="../history.py" line="133" />
        <source>Decision</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../history.py" line="134" />
        <source>Operator</source>
        <translation>職員</translation>
    </message>
    <message>
        <location filename="../history.py" line="135" />
        <source>Training</source>
        <translation>訓練</translation>
    </message>
    <message>
        <location filename="../history.py" line="145" />
        <source>{n} cases</source>
        <translation>{n} 件</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../home.py" line="96" />
        <source>Workflows</source>
        <translation>業務</translation>
    </message>
    <message>
        <location filename="../home.py" line="98" />
        <source>Landing examination</source>
        <translation>上陸審査</translation>
    </message>
    <message>
        <location filename="../home.py" line="99" />
        <source>Departure confirmation</source>
        <translation>出国確認</translation>
    </message>
    <message>
        <location filename="../home.py" line="100" />
        <source>Secondary inspection</source>
        <translation>二次審査</translation>
    </message>
    <message>
        <location filename="../home.py" line="101" />
        <source>Patrol check of a residence card</source>
        <translation>在留カードの確認（巡回）</translation>
    </message>
    <message>
        <location filename="../home.py" line="102" />
        <source>Automated-gate enrolment</source>
        <translation>自動化ゲート利用登録</translation>
    </message>
    <message>
        <location filename="../home.py" line="103" />
        <source>Bio Cart pre-capture</source>
        <translation>バイオカート事前取得</translation>
    </message>
    <message>
        <location filename="../home.py" line="104" />
        <source>Manifest pre-screen</source>
        <translation>乗客名簿の事前照合</translation>
    </message>
    <message>
        <location filename="../home.py" line="105" />
        <source>Case history</source>
        <translation>案件履歴</translation>
    </message>
    <message>
        <location filename="../home.py" line="110" />
        <source>Not yet available</source>
        <translation>未対応（今後提供）</translation>
    </message>
    <message>
        <location filename="../home.py" line="112" />
        <source>Open cases</source>
        <translation>処理中の案件</translation>
    </message>
    <message>
        <location filename="../home.py" line="114" />
        <source>Cases interrupted by a restart continue where they stopped (double-click).</source>
        <translation>再起動などで中断した案件は、中断した手順から再開できます（ダブルクリック）。</translation>
    </message>
    <message>
        <location filename="../home.py" line="116" />
        <source>Workstation status</source>
        <translation>端末の状態</translation>
    </message>
    <message>
        <location filename="../home.py" line="118" />
        <source>Watchlist</source>
        <translation>要注意リスト</translation>
    </message>
    <message>
        <location filename="../home.py" line="119" />
        <source>Document reader</source>
        <translation>旅券リーダー</translation>
    </message>
    <message>
        <location filename="../home.py" line="120" />
        <source>Camera</source>
        <translation>カメラ</translation>
    </message>
    <message>
        <location filename="../home.py" line="121" />
        <source>Fingerprint scanner</source>
        <translation>指紋スキャナー</translation>
    </message>
    <message>
        <location filename="../home.py" line="122" />
        <source>Mode</source>
        <translation>モード</translation>
    </message>
    <message>
        <location filename="../home.py" line="133" />
        <source>(no document yet)</source>
        <translation>（旅券未読取）</translation>
    </message>
    <message>
        <location filename="../home.py" line="141" />
        <source>No open cases</source>
        <translation>処理中の案件はありません</translation>
    </message>
</context>
<context>
    <name>LandingPage</name>
    <message>
        <location filename="../landing.py" line="379" />
        <source>Back to home</source>
        <translation>ホームへ戻る</translation>
    </message>
    <message>
        <location filename="../landing.py" line="381" />
        <source>Document</source>
        <translation>旅券</translation>
    </message>
    <message>
        <location filename="../landing.py" line="383" />
        <source>Name</source>
        <translation>氏名</translation>
    </message>
    <message>
        <location filename="../landing.py" line="384" />
        <source>Nationality</source>
        <translation>国籍</translation>
    </message>
    <message>
        <location filename="../landing.py" line="385" />
        <source>Date of birth</source>
        <translation>生年月日</translation>
    </message>
    <message>
        <location filename="../landing.py" line="386" />
        <source>Sex</source>
        <translation>性別</translation>
    </message>
    <message>
        <location filename="../landing.py" line="387" />
        <source>Document no.</source>
        <translation>旅券番号</translation>
    </message>
    <message>
        <location filename="../landing.py" line="388" />
        <source>Date of expiry</source>
        <translation>有効期限</translation>
    </message>
    <message>
        <location filename="../landing.py" line="389" />
        <source>Issuing state</source>
        <translation>発行国</translation>
    </message>
    <message>
        <location filename="../landing.py" line="390" />
        <source>Read from</source>
        <translation>読取元</translation>
    </message>
    <message>
        <location filename="../landing.py" line="393" />
        <source>Chip photo</source>
        <translation>ICチップの顔写真</translation>
    </message>
    <message>
        <location filename="../landing.py" line="394" />
        <source>Read again</source>
        <translation>再読取</translation>
    </message>
    <message>
        <location filename="../landing.py" line="396" />
        <source>Face</source>
        <translation>顔</translation>
    </message>
    <message>
        <location filename="../landing.py" line="397" />
        <source>Live camera</source>
        <translation>カメラ映像</translation>
    </message>
    <message>
        <location filename="../landing.py" line="398" />
        <location filename="../landing.py" line="787" />
        <location filename="../landing.py" line="807" />
        <source>Captured</source>
        <translation>取得済み</translation>
    </message>
    <message>
        <location filename="../landing.py" line="399" />
        <source>Capture face</source>
        <translation>顔を撮影</translation>
    </message>
    <message>
        <location filename="../landing.py" line="400" />
        <source>Fingerprints</source>
        <translation>指紋</translation>
    </message>
    <message>
        <location filename="../landing.py" line="402" />
        <source>Right index</source>
        <translation>右手人差し指</translation>
    </message>
    <message>
        <location filename="../landing.py" line="403" />
        <source>Left index</source>
        <translation>左手人差し指</translation>
    </message>
    <message>
        <location filename="../landing.py" line="407" />
        <source>Capture fingers</source>
        <translation>指紋を採取</translation>
    </message>
    <message>
        <location filename="../landing.py" line="408" />
        <source>Checks</source>
        <translation>照合</translation>
    </message>
    <message>
        <location filename="../landing.py" line="409" />
        <source>Decision</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../landing.py" line="410" />
        <source>Permit landing</source>
        <translation>上陸許可</translation>
    </message>
    <message>
        <location filename="../landing.py" line="411" />
        <source>Refer to secondary</source>
        <translation>二次審査へ回付</translation>
    </message>
    <message>
        <location filename="../landing.py" line="412" />
        <source>Refuse</source>
        <translation>拒否</translation>
    </message>
    <message>
        <location filename="../landing.py" line="413" />
        <source>Status of residence</source>
        <translation>在留資格</translation>
    </message>
    <message>
        <location filename="../landing.py" line="414" />
        <source>Period of stay</source>
        <translation>在留期間</translation>
    </message>
    <message>
        <location filename="../landing.py" line="415" />
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../landing.py" line="416" />
        <source>Note</source>
        <translation>備考</translation>
    </message>
    <message>
        <location filename="../landing.py" line="417" />
        <source>Optional; required for 'other'</source>
        <translation>任意（「その他」の場合は必須）</translation>
    </message>
    <message>
        <location filename="../landing.py" line="418" />
        <source>Record decision  (Ctrl+Enter)</source>
        <translation>判定を記録  (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../landing.py" line="419" />
        <source>Next traveller</source>
        <translation>次の旅客</translation>
    </message>
    <message>
        <location filename="../landing.py" line="426" />
        <source>no hit expected</source>
        <translation>該当なしの見本</translation>
    </message>
    <message>
        <location filename="../landing.py" line="427" />
        <source>document number on watchlist</source>
        <translation>旅券番号が要注意リストに該当</translation>
    </message>
    <message>
        <location filename="../landing.py" line="428" />
        <source>name on watchlist</source>
        <translation>氏名が要注意リストに該当</translation>
    </message>
    <message>
        <location filename="../landing.py" line="429" />
        <source>stolen document</source>
        <translation>盗難旅券</translation>
    </message>
    <message>
        <location filename="../landing.py" line="436" />
        <source>Training specimen: {name} ({purpose})</source>
        <translation>訓練用見本: {name}（{purpose}）</translation>
    </message>
    <message>
        <location filename="../landing.py" line="499" />
        <source>Opening the case…</source>
        <translation>案件を開始しています…</translation>
    </message>
    <message>
        <location filename="../landing.py" line="548" />
        <source>Reading the chip…</source>
        <translation>ICチップを読み取り中…</translation>
    </message>
    <message>
        <location filename="../landing.py" line="550" />
        <source>Place the finger shown on the scanner…</source>
        <translation>表示された指をスキャナーに置いてください…</translation>
    </message>
    <message>
        <location filename="../landing.py" line="557" />
        <source>No document reader connected.</source>
        <translation>旅券リーダーが接続されていません。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="565" />
        <source>Place the passport on the reader…</source>
        <translation>旅券をリーダーに置いてください…</translation>
    </message>
    <message>
        <location filename="../landing.py" line="600" />
        <source>No camera connected.</source>
        <translation>カメラが接続されていません。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="606" />
        <source>Ask the traveller to look at the camera.</source>
        <translation>旅客にカメラを見るよう案内してください。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="661" />
        <source>Good — hold still.</source>
        <translation>良好です。そのまま動かないでください。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="708" />
        <source>No fingerprint scanner connected.</source>
        <translation>指紋スキャナーが接続されていません。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="713" />
        <source>Place the right index finger on the scanner…</source>
        <translation>右手の人差し指をスキャナーに置いてください…</translation>
    </message>
    <message>
        <location filename="../landing.py" line="729" />
        <source>Checking the watchlist…</source>
        <translation>要注意リストと照合中…</translation>
    </message>
    <message>
        <location filename="../landing.py" line="750" />
        <source>Choose permit, refer or refuse.</source>
        <translation>許可・回付・拒否のいずれかを選んでください。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="776" />
        <source>Case {id}</source>
        <translation>案件 {id}</translation>
    </message>
    <message>
        <location filename="../landing.py" line="788" />
        <source>Face captured.</source>
        <translation>顔を撮影しました。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="803" />
        <source>Exception: {reason}</source>
        <translation>例外: {reason}</translation>
    </message>
    <message>
        <location filename="../landing.py" line="805" />
        <source>Quality {q}</source>
        <translation>品質 {q}</translation>
    </message>
    <message>
        <location filename="../landing.py" line="808" />
        <source>Both index fingers captured.</source>
        <translation>両手の人差し指を採取しました。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="827" />
        <source>Decision stored at {time} (watchlist v{version}).</source>
        <translation>{time} に判定を記録しました（要注意リスト v{version}）。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="857" />
        <source>chip (verified)</source>
        <translation>ICチップ（検証済み）</translation>
    </message>
    <message>
        <location filename="../landing.py" line="858" />
        <source>printed MRZ</source>
        <translation>印字MRZ</translation>
    </message>
    <message>
        <location filename="../landing.py" line="859" />
        <source>manual entry</source>
        <translation>手入力</translation>
    </message>
    <message>
        <location filename="../landing.py" line="860" />
        <source>simulated chip (training)</source>
        <translation>模擬ICチップ（訓練）</translation>
    </message>
    <message>
        <location filename="../landing.py" line="866" />
        <source>Document read.</source>
        <translation>旅券を読み取りました。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="867" />
        <source>Read</source>
        <translation>読取済み</translation>
    </message>
    <message>
        <location filename="../landing.py" line="876" />
        <source>Checks run when document, face and fingers are captured.</source>
        <translation>旅券・顔・指紋がそろうと照合を自動で実行します。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="882" />
        <source>Watchlist version {v}, published {h:.0f} h ago.</source>
        <translation>要注意リスト 第{v}版（{h:.0f} 時間前に公開）。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="888" />
        <source>Too old: decisions are blocked.</source>
        <translation>期限切れのため判定できません。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="892" />
        <source>Out of date: synchronise soon.</source>
        <translation>更新が遅れています。早めに同期してください。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="897" />
        <source>The document has expired.</source>
        <translation>旅券の有効期限が切れています。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="900" />
        <source>No match</source>
        <translation>該当なし</translation>
    </message>
    <message>
        <location filename="../landing.py" line="902" />
        <source>No watchlist or lost-document match.</source>
        <translation>要注意リスト・紛失盗難旅券への該当はありません。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="908" />
        <source>{n} possible match(es)</source>
        <translation>該当候補 {n} 件</translation>
    </message>
    <message>
        <location filename="../landing.py" line="912" />
        <source>Compare the traveller with each entry before deciding.</source>
        <translation>判定の前に、旅客と各該当候補を比較してください。</translation>
    </message>
    <message>
        <location filename="../landing.py" line="918" />
        <source>exact</source>
        <translation>完全一致</translation>
    </message>
    <message>
        <location filename="../landing.py" line="920" />
        <source>similar ({p:.0%})</source>
        <translation>類似（{p:.0%}）</translation>
    </message>
    <message>
        <location filename="../landing.py" line="962" />
        <source>Face 1:1: not checked (face matching not installed).</source>
        <translation>顔照合（1対1）: 未実施（顔照合機能が未導入）。</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <location filename="../login.py" line="105" />
        <source>Sekisho inspection workstation</source>
        <translation>関所 審査端末</translation>
    </message>
    <message>
        <location filename="../login.py" line="108" />
        <source>The screen was locked after inactivity. Enter your password to continue.</source>
        <translation>一定時間操作がなかったため画面をロックしました。続けるにはパスワードを入力してください。</translation>
    </message>
    <message>
        <location filename="../login.py" line="111" />
        <source>Log in with your operator ID.</source>
        <translation>職員IDでログインしてください。</translation>
    </message>
    <message>
        <location filename="../login.py" line="112" />
        <source>Operator ID</source>
        <translation>職員ID</translation>
    </message>
    <message>
        <location filename="../login.py" line="113" />
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <location filename="../login.py" line="114" />
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <location filename="../login.py" line="115" />
        <source>Unlock</source>
        <translation>ロック解除</translation>
    </message>
    <message>
        <location filename="../login.py" line="115" />
        <source>Log in</source>
        <translation>ログイン</translation>
    </message>
    <message>
        <location filename="../login.py" line="118" />
        <source>Training mode: demo accounts inspector / supervisor / admin, password sekisho-demo. Simulated devices; records are marked as training.</source>
        <translation>訓練モード: デモ用アカウント inspector / supervisor / admin、パスワード sekisho-demo。模擬機器を使用し、記録には訓練の表示が付きます。</translation>
    </message>
    <message>
        <location filename="../login.py" line="148" />
        <source>Enter your operator ID and password.</source>
        <translation>職員IDとパスワードを入力してください。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="171" />
        <source>Sekisho — inspection workstation</source>
        <translation>関所 — 審査端末</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="172" />
        <source>Sekisho 関所</source>
        <translation>関所 Sekisho</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="173" />
        <source>TRAINING MODE — simulated devices</source>
        <translation>訓練モード — 模擬機器</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="175" />
        <source>Log out</source>
        <translation>ログアウト</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="179" />
        <source>Operator: {name}</source>
        <translation>職員: {name}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="299" />
        <source>Watchlist v{v} · {h:.0f} h old · {n} persons</source>
        <translation>要注意リスト v{v} · {h:.0f} 時間前 · {n} 人</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="305" />
        <source>TOO OLD: decisions blocked</source>
        <translation>期限切れ: 判定不可</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="307" />
        <source>out of date</source>
        <translation>更新遅れ</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="315" />
        <source>not connected</source>
        <translation>未接続</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="323" />
        <source>Training (simulated devices; every record marked)</source>
        <translation>訓練（模擬機器、全記録に訓練の表示）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="325" />
        <source>Live</source>
        <translation>本番</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../messages.py" line="14" />
        <source>Wrong operator ID or password. {n} attempts left before the account locks.</source>
        <translation>職員IDまたはパスワードが違います。あと {n} 回失敗するとアカウントがロックされます。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="18" />
        <source>Wrong operator ID or password.</source>
        <translation>職員IDまたはパスワードが違います。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="20" />
        <source>This account is locked after too many failed attempts. Try again after {time}.</source>
        <translation>ログインの失敗が続いたため、このアカウントはロックされています。{time} 以降に再度お試しください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="25" />
        <source>No document on the reader. Place the passport or card on the reader.</source>
        <translation>リーダーに旅券がありません。旅券またはカードをリーダーに置いてください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="28" />
        <source>The document could not be read. Remove it and place it again.</source>
        <translation>旅券を読み取れませんでした。いったん取り外して置き直してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="31" />
        <source>The machine-readable zone is not valid: a check digit does not match.</source>
        <translation>機械読取領域（MRZ）が不正です。チェックディジットが一致しません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="34" />
        <source>The chip refused access. Check the document number, dates or card number.</source>
        <translation>ICチップへのアクセスが拒否されました。旅券番号・日付・カード番号を確認してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="37" />
        <source>The device is not connected or stopped responding. Check the cable.</source>
        <translation>機器が接続されていないか、応答しません。ケーブルを確認してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="40" />
        <source>The device is in use by another program.</source>
        <translation>機器は他のプログラムで使用中です。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="43" />
        <source>The capture did not produce a usable image. Try again.</source>
        <translation>使用できる画像が得られませんでした。もう一度取得してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="46" />
        <source>The capture was cancelled.</source>
        <translation>取得を中止しました。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="49" />
        <source>No card on the reader. Place the residence card on the reader.</source>
        <translation>リーダーにカードがありません。在留カードをリーダーに置いてください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="52" />
        <source>The card was removed during reading. Place it again and keep it still.</source>
        <translation>読取中にカードが離れました。もう一度置いて、動かさないでください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="55" />
        <source>Communication with the card failed. Place the card again.</source>
        <translation>カードとの通信に失敗しました。カードを置き直してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="58" />
        <source>The card answered with an error. Place the card again.</source>
        <translation>カードがエラーを返しました。カードを置き直してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="61" />
        <source>The card's secure channel failed: the card may not be genuine.</source>
        <translation>カードとの暗号通信に失敗しました。真正なカードでない可能性があります。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="64" />
        <source>The card's data is malformed: the card may not be genuine.</source>
        <translation>カードのデータ形式が不正です。真正なカードでない可能性があります。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="67" />
        <source>The card's data is not in a known format.</source>
        <translation>カードのデータが既知の形式ではありません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="70" />
        <source>The card number is not valid: 2 letters, 8 digits, 2 letters (e.g. AB12345678CD).</source>
        <translation>在留カード番号が不正です。英字2桁・数字8桁・英字2桁です（例: AB12345678CD）。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="74" />
        <source>The card refused this card number. Check the number printed on the card.</source>
        <translation>カードがこの番号を受け付けません。カードに印字された番号を確認してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="77" />
        <source>The card's authentication answer is wrong: the card may not be genuine.</source>
        <translation>カードの認証応答が不正です。真正なカードでない可能性があります。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="80" />
        <source>The smart-card service (PC/SC) is not running.</source>
        <translation>ICカードサービス（PC/SC）が起動していません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="83" />
        <source>No card reader is connected.</source>
        <translation>カードリーダーが接続されていません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="84" />
        <source>The card reader is in use by another program.</source>
        <translation>カードリーダーは他のプログラムで使用中です。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="87" />
        <source>Your role does not allow this action.</source>
        <translation>この操作を行う権限がありません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="90" />
        <source>The case was not found.</source>
        <translation>案件が見つかりません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="91" />
        <source>This step is not possible at this point of the examination.</source>
        <translation>審査のこの段階では、この操作はできません。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="94" />
        <source>The decision is incomplete: check status, period of stay or reason.</source>
        <translation>判定が不完全です。在留資格・在留期間・理由を確認してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="97" />
        <source>Policy does not allow this decision: refer the case to secondary inspection.</source>
        <translation>この判定は運用方針で認められていません。二次審査に回付してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="101" />
        <source>The watchlist is too old to decide on. Synchronise the watchlist first.</source>
        <translation>要注意リストが古すぎるため判定できません。先に同期してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="104" />
        <source>The database could not be written. Nothing was recorded; try again.</source>
        <translation>データベースに書き込めませんでした。何も記録されていません。もう一度実行してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="107" />
        <source>The audit log failed verification. Call an administrator.</source>
        <translation>監査記録の検証に失敗しました。管理者に連絡してください。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="113" />
        <source>The operation failed.</source>
        <translation>処理に失敗しました。</translation>
    </message>
    <message>
        <location filename="../messages.py" line="116" />
        <source>Unexpected error. The case is saved; restart the step. [{name}]</source>
        <translation>予期しないエラーです。案件は保存されています。この手順をやり直してください。[{name}]</translation>
    </message>
    <message>
        <location filename="../messages.py" line="123" />
        <source>Refuse</source>
        <translation>拒否</translation>
    </message>
    <message>
        <location filename="../messages.py" line="124" />
        <source>Refer</source>
        <translation>回付</translation>
    </message>
    <message>
        <location filename="../messages.py" line="125" />
        <source>Notify</source>
        <translation>通知</translation>
    </message>
    <message>
        <location filename="../messages.py" line="131" />
        <source>Document number on watchlist</source>
        <translation>要注意リスト該当の旅券番号</translation>
    </message>
    <message>
        <location filename="../messages.py" line="132" />
        <source>Lost or stolen document</source>
        <translation>紛失・盗難旅券</translation>
    </message>
    <message>
        <location filename="../messages.py" line="133" />
        <source>Name and date of birth</source>
        <translation>氏名・生年月日</translation>
    </message>
    <message>
        <location filename="../messages.py" line="134" />
        <location filename="../messages.py" line="178" />
        <source>Face</source>
        <translation>顔</translation>
    </message>
    <message>
        <location filename="../messages.py" line="135" />
        <source>Fingerprint</source>
        <translation>指紋</translation>
    </message>
    <message>
        <location filename="../messages.py" line="141" />
        <source>name</source>
        <translation>氏名</translation>
    </message>
    <message>
        <location filename="../messages.py" line="142" />
        <source>same date of birth</source>
        <translation>生年月日一致</translation>
    </message>
    <message>
        <location filename="../messages.py" line="143" />
        <source>close date of birth</source>
        <translation>生年月日が近い</translation>
    </message>
    <message>
        <location filename="../messages.py" line="144" />
        <source>nationality</source>
        <translation>国籍</translation>
    </message>
    <message>
        <location filename="../messages.py" line="145" />
        <source>document number</source>
        <translation>旅券番号</translation>
    </message>
    <message>
        <location filename="../messages.py" line="146" />
        <source>reported stolen</source>
        <translation>盗難届あり</translation>
    </message>
    <message>
        <location filename="../messages.py" line="147" />
        <source>reported lost</source>
        <translation>紛失届あり</translation>
    </message>
    <message>
        <location filename="../messages.py" line="154" />
        <source>Indefinite</source>
        <translation>無期限</translation>
    </message>
    <message>
        <location filename="../messages.py" line="156" />
        <source>Designated period</source>
        <translation>指定期間</translation>
    </message>
    <message>
        <location filename="../messages.py" line="158" />
        <source>Duration of mission</source>
        <translation>外交活動の期間</translation>
    </message>
    <message>
        <location filename="../messages.py" line="166" />
        <source>{n} years</source>
        <translation>{n} 年</translation>
    </message>
    <message>
        <location filename="../messages.py" line="167" />
        <source>{n} months</source>
        <translation>{n} か月</translation>
    </message>
    <message>
        <location filename="../messages.py" line="168" />
        <source>{n} days</source>
        <translation>{n} 日</translation>
    </message>
    <message>
        <location filename="../messages.py" line="177" />
        <source>Document</source>
        <translation>旅券</translation>
    </message>
    <message>
        <location filename="../messages.py" line="179" />
        <source>Fingerprints</source>
        <translation>指紋</translation>
    </message>
    <message>
        <location filename="../messages.py" line="180" />
        <source>Checks</source>
        <translation>照合</translation>
    </message>
    <message>
        <location filename="../messages.py" line="181" />
        <source>Decision</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../messages.py" line="182" />
        <source>Closed</source>
        <translation>完了</translation>
    </message>
    <message>
        <location filename="../messages.py" line="188" />
        <source>Landing permitted</source>
        <translation>上陸許可</translation>
    </message>
    <message>
        <location filename="../messages.py" line="189" />
        <source>Referred to secondary inspection</source>
        <translation>二次審査へ回付</translation>
    </message>
    <message>
        <location filename="../messages.py" line="192" />
        <source>Landing refused</source>
        <translation>上陸拒否</translation>
    </message>
    <message>
        <location filename="../messages.py" line="204" />
        <source>another person would score this high less than 1 in {n} times</source>
        <translation>別人がこれほど似る確率は {n} 分の1 未満</translation>
    </message>
    <message>
        <location filename="../messages.py" line="207" />
        <source>another person would score this high about 1 in {n} times</source>
        <translation>別人がこれほど似る確率は約 {n} 分の1</translation>
    </message>
    <message>
        <location filename="../messages.py" line="214" />
        <source>Face matches the document photo</source>
        <translation>顔は旅券の写真と一致</translation>
    </message>
    <message>
        <location filename="../messages.py" line="215" />
        <source>Face does NOT match the document photo</source>
        <translation>顔が旅券の写真と一致しません</translation>
    </message>
    <message>
        <location filename="../messages.py" line="218" />
        <source>The document has no photo to compare</source>
        <translation>旅券に照合用の写真がありません</translation>
    </message>
    <message>
        <location filename="../messages.py" line="221" />
        <source>No face found in the live capture: retake it</source>
        <translation>撮影画像に顔が見つかりません。撮り直してください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="224" />
        <source>No face found in the document photo</source>
        <translation>旅券の写真に顔が見つかりません</translation>
    </message>
    <message>
        <location filename="../messages.py" line="233" />
        <source>Exactly one face must be in view</source>
        <translation>カメラに写る顔は1人だけにしてください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="234" />
        <source>Move closer to the camera</source>
        <translation>カメラに近づいてください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="235" />
        <source>Look straight at the camera</source>
        <translation>カメラを正面から見てください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="236" />
        <source>Keep the head level</source>
        <translation>顔を上下に傾けないでください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="237" />
        <source>Keep the head upright</source>
        <translation>顔を左右に傾けないでください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="238" />
        <source>Open the eyes</source>
        <translation>目を開けてください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="239" />
        <source>Hold still: the image is blurred</source>
        <translation>動かないでください（画像がぶれています）</translation>
    </message>
    <message>
        <location filename="../messages.py" line="240" />
        <source>Lighting too dark or too bright</source>
        <translation>照明が暗すぎるか明るすぎます</translation>
    </message>
    <message>
        <location filename="../messages.py" line="241" />
        <source>Low contrast: check the lighting</source>
        <translation>コントラストが不足しています。照明を確認してください</translation>
    </message>
    <message>
        <location filename="../messages.py" line="242" />
        <source>No natural movement: ask the traveller to blink</source>
        <translation>自然な動きがありません。まばたきをお願いしてください</translation>
    </message>
</context>
<context>
    <name>StepBar</name>
    <message>
        <location filename="../landing.py" line="135" />
        <source>1 Document</source>
        <translation>1 旅券</translation>
    </message>
    <message>
        <location filename="../landing.py" line="136" />
        <source>2 Face</source>
        <translation>2 顔</translation>
    </message>
    <message>
        <location filename="../landing.py" line="137" />
        <source>3 Fingerprints</source>
        <translation>3 指紋</translation>
    </message>
    <message>
        <location filename="../landing.py" line="138" />
        <source>4 Checks</source>
        <translation>4 照合</translation>
    </message>
    <message>
        <location filename="../landing.py" line="139" />
        <source>5 Decision</source>
        <translation>5 判定</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../qt_main.py" line="35" />
        <source>Unexpected error</source>
        <translation>予期しないエラー</translation>
    </message>
    <message>
        <location filename="../qt_main.py" line="37" />
        <source>An unexpected error occurred ({name}). Every saved step of the open case is kept.</source>
        <translation>予期しないエラーが発生しました（{name}）。処理中の案件の保存済みの手順はすべて保持されています。</translation>
    </message>
</context>
</TS>